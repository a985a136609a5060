package io.slipstream.kernels;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Which device a rank computes on. On the CPU backend (nd4j-native) every rank uses the host; on a GPU
 * backend local rank r takes visible GPU {@link #gpuOrdinal r mod visible}, where the launcher counted the
 * visible GPUs once from its variables ({@code CUDA_VISIBLE_DEVICES}, else SLURM's {@code SLURM_STEP_GPUS}/
 * {@code SLURM_JOB_GPUS}), else all devices the backend reports. The chosen index is kept so logs and reports
 * can name it.
 *
 * @param backend   the ND4J backend's class name.
 * @param gpuIndex  the device ordinal the rank uses, -1 on the CPU.
 * @param localRank the rank's index among the ranks of its host.
 */
public record DevicePlacement(String backend, int gpuIndex, int localRank)
{
    /** What {@code visibleGpus} is when no variable names the visible GPUs: every device the backend reports. */
    public static final int ALL_BACKEND_DEVICES = -1;

    public boolean onGpu()
    {
        return gpuIndex >= 0;
    }

    /**
     * The visible GPU local rank {@code localRank} takes among {@code visible} (at least 1): round robin. CUDA
     * renumbers the visible devices from 0, so the ordinal is an index into the visible list.
     */
    public static int gpuOrdinal(final int localRank, final int visible)
    {
        return Math.floorMod(localRank, visible);
    }

    /**
     * Chooses a device for {@code localRank}.
     *
     * @param cpuBackend     true for nd4j-native.
     * @param backendDevices devices the backend reports (ignored on the CPU).
     * @param visibleGpus    how many GPUs the launcher's variables make visible, or {@link #ALL_BACKEND_DEVICES}.
     */
    public static DevicePlacement choose(
        final String backend,
        final boolean cpuBackend,
        final int backendDevices,
        final int localRank,
        final int visibleGpus)
    {
        if (localRank < 0)
        {
            throw new IllegalArgumentException("local rank must be >= 0, was " + localRank);
        }
        if (cpuBackend)
        {
            return new DevicePlacement(backend, -1, localRank);
        }
        final int visible = visibleGpus == ALL_BACKEND_DEVICES ? backendDevices : visibleGpus;
        if (visible <= 0)
        {
            throw new IllegalStateException("the GPU backend " + backend + " sees no GPU: check CUDA_VISIBLE_DEVICES " +
                "and --gpus, or build without -Pcuda to run on the CPU");
        }
        return new DevicePlacement(backend, gpuOrdinal(localRank, visible), localRank);
    }

    /**
     * Chooses from the running ND4J backend and the visible GPUs the launcher counted ({@link #choose}), then binds
     * this thread to it.
     */
    public static DevicePlacement applyForThisThread(final int localRank, final int visibleGpus)
    {
        final boolean cpu = Nd4j.getEnvironment().isCPU();
        final int devices = cpu ? 0 : Nd4j.getAffinityManager().getNumberOfDevices();
        final DevicePlacement placement =
            choose(Nd4j.getBackend().getClass().getSimpleName(), cpu, devices, localRank, visibleGpus);
        if (placement.onGpu())
        {
            Nd4j.getAffinityManager().unsafeSetDevice(placement.gpuIndex());
        }
        return placement;
    }
}
