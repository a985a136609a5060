package io.slipstream.api;

import io.slipstream.kernels.ComputeThreads;
import io.slipstream.launcher.cli.RankJoin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Joins a user's program to the Slipstream job that started it. In {@code main}:
 * <pre>{@code
 * try (SlipstreamJob job = Slipstream.join()) {
 *     DataParallelNetwork dp = job.train(net);
 *     dp.fit(trainData, epochs);
 * }
 * }</pre>
 * Whatever started the process works: {@code slipstream local -n N --main ...}, {@code srun} (directly, or
 * {@code srun slipstream run --main ...}), mpirun, torchrun-style variables ({@code RANK}, {@code WORLD_SIZE},
 * {@code MASTER_ADDR}, {@code MASTER_PORT}, plus {@code SLIPSTREAM_SECRET}), or nothing (one rank on its own).
 * The environment is read as {@code slipstream run} reads it (slurm/README.md), plus {@code SLIPSTREAM_RUN_DIR}
 * (default {@code runs/<main class>-<job id>}) and {@code SLIPSTREAM_DEADLINE} (default 60s).
 *
 * <p>Failures are the command's one-liners: a bad environment throws a {@link SlipstreamException} with exit code 2.
 * {@code join} also arranges for the calling thread, when a {@code SlipstreamException} or a comm failure escapes it,
 * to print {@code slipstream: LINE} on stderr and exit with the command's code (3 stopped after a checkpoint, 4
 * another rank failed, 2 bad input, 1 otherwise, with the stack trace for failures that are not Slipstream's).
 */
public final class Slipstream
{
    private Slipstream()
    {
    }

    /** Joins the job described by this process's environment; see the class comment. */
    public static SlipstreamJob join()
    {
        return join(System.getenv());
    }

    /**
     * As {@link #join()}, with the environment given. Under {@code slipstream run --main}, the options given on that
     * command line win over the variables they stand for.
     */
    public static SlipstreamJob join(final Map<String, String> env)
    {
        final Thread caller = Thread.currentThread();
        final Thread.UncaughtExceptionHandler previous = caller.getUncaughtExceptionHandler();
        final int[] rank = {-1};
        caller.setUncaughtExceptionHandler((thread, failure) -> exit(failure, rank[0], previous, thread));
        try
        {
            final RankJoin.Joined joined = RankJoin.join(env, RankJoin.commandLine().over(
                RankJoin.Options.fromEnvironment(env, mainClassName())), System.err, false);
            rank[0] = joined.topology().rank();
            final int localSize = Math.max(1, joined.topology().localSize());
            ComputeThreads.apply(ComputeThreads.perRank(Runtime.getRuntime().availableProcessors(), localSize));
            return new SlipstreamJob(joined.topology().rank(), joined.topology().size(),
                joined.topology().localRank(), localSize, Math.max(0, joined.topology().nodeIndex()),
                joined.topology().jobId(), joined.world(), joined.runDir(), joined.stop(), System.out);
        }
        catch (final SlipstreamException ex)
        {
            throw ex;
        }
        catch (final IOException ex)
        {
            throw failure(new UncheckedIOException(ex), rank[0]);
        }
        catch (final RuntimeException ex)
        {
            throw failure(ex, rank[0]);
        }
    }

    /** {@code failure} as the command would report it. */
    static SlipstreamException failure(final Throwable failure, final int rank)
    {
        if (failure instanceof SlipstreamException)
        {
            return (SlipstreamException)failure;
        }
        final RankJoin.FailureText text = RankJoin.describe(failure, rank);
        return new SlipstreamException(text.line(), text.exitCode(), failure);
    }

    private static void exit(
        final Throwable failure, final int rank, final Thread.UncaughtExceptionHandler previous, final Thread thread)
    {
        final SlipstreamException known = failure(failure, rank);
        if (!(failure instanceof SlipstreamException) && known.exitCode() == 1 && previous != null)
        {
            previous.uncaughtException(thread, failure);
        }
        System.exit(known.report());
    }

    /** The simple name of the class whose {@code main} started this JVM, for the default run directory. */
    private static String mainClassName()
    {
        final String command = System.getProperty("sun.java.command", "");
        final String first = command.split(" ", 2)[0];
        if (first.isEmpty() || first.endsWith(".jar"))
        {
            return "job";
        }
        return first.substring(first.lastIndexOf('.') + 1);
    }
}
