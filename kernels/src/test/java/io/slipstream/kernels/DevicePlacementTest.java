package io.slipstream.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DevicePlacementTest
{
    @Test
    void cpuBackendUsesTheHostForEveryRank()
    {
        final DevicePlacement placement =
            DevicePlacement.choose("CpuBackend", true, 0, 3, 2);
        assertFalse(placement.onGpu());
        assertEquals(-1, placement.gpuIndex());
    }

    @Test
    void localRanksTakeVisibleGpusRoundRobin()
    {
        final int env = 3; // CUDA_VISIBLE_DEVICES=2,3,5
        assertEquals(0, DevicePlacement.choose("Jcublas", false, 8, 0, env).gpuIndex());
        assertEquals(2, DevicePlacement.choose("Jcublas", false, 8, 2, env).gpuIndex());
        assertEquals(0, DevicePlacement.choose("Jcublas", false, 8, 3, env).gpuIndex());
        assertEquals(1, DevicePlacement.choose("Jcublas", false, 8, 1, 2).gpuIndex());
        assertEquals(3, DevicePlacement.choose("Jcublas", false, 4, 7, DevicePlacement.ALL_BACKEND_DEVICES).gpuIndex());
    }

    @Test
    void noVisibleGpuIsAClearError()
    {
        assertThrows(IllegalStateException.class,
            () -> DevicePlacement.choose("Jcublas", false, 2, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> DevicePlacement.choose("CpuBackend", true, 0, -1, 0));
    }

    @Test
    void thisProcessRunsOnTheCpuBackend()
    {
        assertFalse(DevicePlacement.applyForThisThread(0, DevicePlacement.ALL_BACKEND_DEVICES).onGpu());
    }
}
