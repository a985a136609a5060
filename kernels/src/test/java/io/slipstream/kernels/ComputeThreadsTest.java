package io.slipstream.kernels;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ComputeThreadsTest
{
    @Test
    void appliesTheCountToEveryPool()
    {
        // Every setting apply() changes, so later tests in this JVM run with the pools they started with.
        final Environment environment = Nd4j.getEnvironment();
        final int maxThreads = environment.maxThreads();
        final int masterThreads = environment.maxMasterThreads();
        final int blasThreads = Nd4j.factory().blas().getMaxThreads();
        try
        {
            ComputeThreads.apply(1);
            assertArrayEquals(new int[]{1, 1}, ComputeThreads.current());
        }
        finally
        {
            environment.setMaxThreads(maxThreads);
            environment.setMaxMasterThreads(masterThreads);
            Nd4j.factory().blas().setMaxThreads(blasThreads);
        }
        assertArrayEquals(new int[]{masterThreads, blasThreads}, ComputeThreads.current());
        assertEquals(maxThreads, environment.maxThreads());
    }

    @Test
    void perRankDividesTheCores()
    {
        assertEquals(1, ComputeThreads.perRank(2, 2));
        assertEquals(1, ComputeThreads.perRank(2, 3));
        assertEquals(8, ComputeThreads.perRank(32, 4));
        assertThrows(IllegalArgumentException.class, () -> ComputeThreads.apply(0));
    }
}
