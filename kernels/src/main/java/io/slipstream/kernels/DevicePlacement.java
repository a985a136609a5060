package io.slipstream.kernels;

import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

/**
 * Which device a rank computes on. On the CPU backend (nd4j-native) every rank uses the host; on a GPU
 * backend local rank r takes visible GPU {@code r mod visible}, where the visible GPUs come from
 * {@code CUDA_VISIBLE_DEVICES}, else SLURM's {@code SLURM_STEP_GPUS}/{@code SLURM_JOB_GPUS}, else all
 * devices the backend reports. The chosen index is kept so logs and reports can name it.
 *
 * @param backend   the ND4J backend's class name.
 * @param gpuIndex  the device ordinal the rank uses, -1 on the CPU.
 * @param localRank the rank's index among the ranks of its host.
 */
public record DevicePlacement(String backend, int gpuIndex, int localRank)
{
    public boolean onGpu()
    {
        return gpuIndex >= 0;
    }

    /**
     * Chooses a device for {@code localRank} from the environment.
     *
     * @param cpuBackend     true for nd4j-native.
     * @param backendDevices devices the backend reports (ignored on the CPU).
     */
    public static DevicePlacement choose(
        final String backend,
        final boolean cpuBackend,
        final int backendDevices,
        final int localRank,
        final Map<String, String> env)
    {
        if (localRank < 0)
        {
            throw new IllegalArgumentException("local rank must be >= 0, was " + localRank);
        }
        if (cpuBackend)
        {
            return new DevicePlacement(backend, -1, localRank);
        }
        final int visible = visibleGpus(backendDevices, env);
        if (visible <= 0)
        {
            throw new IllegalStateException("the GPU backend " + backend + " sees no GPU: check CUDA_VISIBLE_DEVICES " +
                "and --gpus, or build without -Pcuda to run on the CPU");
        }
        // CUDA renumbers the visible devices from 0, so the ordinal is an index into the visible list.
        return new DevicePlacement(backend, localRank % visible, localRank);
    }

    /** Chooses from the running ND4J backend and the process environment, then binds this thread to it. */
    public static DevicePlacement applyForThisThread(final int localRank)
    {
        final boolean cpu = Nd4j.getEnvironment().isCPU();
        final int devices = cpu ? 0 : Nd4j.getAffinityManager().getNumberOfDevices();
        final DevicePlacement placement =
            choose(Nd4j.getBackend().getClass().getSimpleName(), cpu, devices, localRank, System.getenv());
        if (placement.onGpu())
        {
            Nd4j.getAffinityManager().unsafeSetDevice(placement.gpuIndex());
        }
        return placement;
    }

    static int visibleGpus(final int backendDevices, final Map<String, String> env)
    {
        final String cuda = env.get("CUDA_VISIBLE_DEVICES");
        if (cuda != null)
        {
            return countList(cuda);
        }
        final String step = env.get("SLURM_STEP_GPUS");
        if (step != null)
        {
            return countList(step);
        }
        final String job = env.get("SLURM_JOB_GPUS");
        if (job != null)
        {
            return countList(job);
        }
        return backendDevices;
    }

    private static int countList(final String list)
    {
        final String trimmed = list.trim();
        if (trimmed.isEmpty() || "NoDevFiles".equals(trimmed))
        {
            return 0;
        }
        int count = 1;
        for (int i = 0; i < trimmed.length(); i++)
        {
            if (trimmed.charAt(i) == ',')
            {
                count++;
            }
        }
        return count;
    }
}
