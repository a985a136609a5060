package io.slipstream.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ComputeThreadsTest
{
    @Test
    void appliesTheCountToEveryPool()
    {
        final int[] before = ComputeThreads.current();
        try
        {
            ComputeThreads.apply(1);
            assertArrayEquals(new int[]{1, 1}, ComputeThreads.current());
        }
        finally
        {
            ComputeThreads.apply(Math.max(1, before[0]));
        }
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
