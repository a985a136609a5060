package io.slipstream.kernels;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DevicePlacementTest
{
    @Test
    void cpuBackendUsesTheHostForEveryRank()
    {
        final DevicePlacement placement =
            DevicePlacement.choose("CpuBackend", true, 0, 3, Map.of("CUDA_VISIBLE_DEVICES", "0,1"));
        assertFalse(placement.onGpu());
        assertEquals(-1, placement.gpuIndex());
    }

    @Test
    void localRanksTakeVisibleGpusRoundRobin()
    {
        final Map<String, String> env = Map.of("CUDA_VISIBLE_DEVICES", "2,3,5");
        assertEquals(0, DevicePlacement.choose("Jcublas", false, 8, 0, env).gpuIndex());
        assertEquals(2, DevicePlacement.choose("Jcublas", false, 8, 2, env).gpuIndex());
        assertEquals(0, DevicePlacement.choose("Jcublas", false, 8, 3, env).gpuIndex());
        assertEquals(1, DevicePlacement.choose("Jcublas", false, 8, 1, Map.of("SLURM_STEP_GPUS", "4,6")).gpuIndex());
        assertEquals(3, DevicePlacement.choose("Jcublas", false, 4, 7, Map.of()).gpuIndex());
    }

    @Test
    void noVisibleGpuIsAClearError()
    {
        assertThrows(IllegalStateException.class,
            () -> DevicePlacement.choose("Jcublas", false, 2, 0, Map.of("CUDA_VISIBLE_DEVICES", "")));
        assertThrows(IllegalArgumentException.class, () -> DevicePlacement.choose("CpuBackend", true, 0, -1, Map.of()));
    }

    @Test
    void thisProcessRunsOnTheCpuBackend()
    {
        assertFalse(DevicePlacement.applyForThisThread(0).onGpu());
    }
}
