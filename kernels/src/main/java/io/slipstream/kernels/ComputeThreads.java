package io.slipstream.kernels;

import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sets how many threads ND4J uses in this process, so that N ranks on one host do not each start one
 * thread per core. Three pools matter on nd4j-native and each has its own knob:
 * <ul>
 *   <li>libnd4j's element-wise and reduction loops: {@link Environment#setMaxThreads(int)} and
 *       {@link Environment#setMaxMasterThreads(int)};</li>
 *   <li>OpenBLAS (matrix multiplies, the bulk of an MLP's time): {@code Nd4j.getBlasWrapper().setMaxThreads};</li>
 *   <li>OpenMP, which both use underneath: the {@code OMP_NUM_THREADS} environment variable, read only at
 *       process start; the launcher sets it for ranks it spawns.</li>
 * </ul>
 * The default for a rank is {@code max(1, cores / ranksOnHost)}.
 *
 * <p>Measured on nd4j-native 1.0.0-M2.1, 2 cores (768x768 float matmul; tanh over 8M floats): the
 * master-thread and BLAS knobs take effect at once (matmul 13 -> 22 ms, tanh 94 -> 126 ms going from 2 to
 * 1 thread); {@code setMaxThreads} below the core count is ignored ({@code maxThreads()} stays at the
 * core count), so only {@code OMP_NUM_THREADS} caps libnd4j's inner OpenMP loops completely.
 */
public final class ComputeThreads
{
    private ComputeThreads()
    {
    }

    /** Threads per rank when {@code ranksOnHost} ranks share {@code cores} cores. */
    public static int perRank(final int cores, final int ranksOnHost)
    {
        if (cores < 1 || ranksOnHost < 1)
        {
            throw new IllegalArgumentException("cores and ranks on host must be >= 1, were " + cores + " and " + ranksOnHost);
        }
        return Math.max(1, cores / ranksOnHost);
    }

    /** Applies {@code threads} to every ND4J pool of this process. */
    public static void apply(final int threads)
    {
        if (threads < 1)
        {
            throw new IllegalArgumentException("ND4J thread count must be >= 1, was " + threads);
        }
        final Environment environment = Nd4j.getEnvironment();
        environment.setMaxThreads(threads);
        environment.setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    /** The thread counts ND4J reports now: {libnd4j master threads, BLAS threads}. */
    public static int[] current()
    {
        final Environment environment = Nd4j.getEnvironment();
        return new int[]{environment.maxMasterThreads(), Nd4j.factory().blas().getMaxThreads()};
    }
}
