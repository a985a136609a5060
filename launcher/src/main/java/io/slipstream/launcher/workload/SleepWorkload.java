package io.slipstream.launcher.workload;

import io.slipstream.comm.Communicator;
import io.slipstream.comm.ReduceOp;
import io.slipstream.launcher.job.Job;
import io.slipstream.launcher.job.JobContext;
import io.slipstream.launcher.signal.ExitCode;
import io.slipstream.launcher.signal.SlurmRequeue;
import io.slipstream.trainer.report.OwnerOnlyFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Holds the world for a while in steps of {@code stepMillis}, the way a training loop would, and shows
 * the whole stop-and-resume path with the smallest possible state (the step reached):
 * <ol>
 *   <li>at each step boundary the ranks agree (MAX allreduce) whether any was asked to stop;</li>
 *   <li>if so, rank 0 writes {@code <run dir>/sleep-progress} atomically (the checkpoint), and with
 *   {@code requeue: true} under SLURM asks for a requeue once it is written;</li>
 *   <li>every rank exits with {@link ExitCode#CHECKPOINTED_AND_STOPPED};</li>
 *   <li>a later run in the same run directory (a requeued job keeps its job id, hence its default run
 *   directory) resumes at the saved step.</li>
 * </ol>
 */
final class SleepWorkload implements Job
{
    static final String PROGRESS_FILE = "sleep-progress";

    private final long millis;
    private final long stepMillis;
    private final FailurePlan failure;
    private final boolean requeue;

    SleepWorkload(final long millis, final long stepMillis, final FailurePlan failure, final boolean requeue)
    {
        this.millis = millis;
        this.stepMillis = stepMillis;
        this.failure = failure;
        this.requeue = requeue;
    }

    @Override
    public int run(final JobContext context) throws Exception
    {
        final Communicator world = context.world();
        final int rank = world.rank();
        final int[] stop = new int[1];
        final long steps = Math.max(1, millis / stepMillis);
        final long first = resumeStep(context);
        if (rank == 0)
        {
            context.out().println(first == 0 ? "sleep: " + world.size() + " ranks for " + millis + " ms" :
                "sleep: " + world.size() + " ranks resuming at step " + first + " of " + steps);
        }
        for (long step = first; step < steps; step++)
        {
            final int code = Failures.apply(failure, rank, (int)Math.min(step, Integer.MAX_VALUE), context);
            if (code != ExitCode.OK)
            {
                return code;
            }
            stop[0] = context.hooks().stopRequested() ? 1 : 0;
            world.allreduce(stop, ReduceOp.MAX);
            if (stop[0] != 0)
            {
                return checkpointAndStop(context, step);
            }
            TimeUnit.MILLISECONDS.sleep(stepMillis);
        }
        world.barrier();
        if (rank == 0)
        {
            context.out().println("sleep OK");
        }
        return ExitCode.OK;
    }

    private int checkpointAndStop(final JobContext context, final long step) throws IOException
    {
        final Communicator world = context.world();
        if (world.rank() == 0)
        {
            OwnerOnlyFile.write(context.runDir().resolve(PROGRESS_FILE),
                (out) -> out.write(Long.toString(step).getBytes(StandardCharsets.US_ASCII)));
            context.out().println("sleep: stop requested; checkpoint at step " + step + " written, all ranks stop");
        }
        // Nobody leaves before the checkpoint is durable.
        world.barrier();
        if (requeue)
        {
            final Map<String, String> env = System.getenv();
            SlurmRequeue.fromEnvironment(env, world.rank(), true).requeue(context.out());
        }
        return ExitCode.CHECKPOINTED_AND_STOPPED;
    }

    /** Rank 0 reads the saved step, if any, and every rank gets it from rank 0. */
    private static long resumeStep(final JobContext context) throws IOException
    {
        final Communicator world = context.world();
        byte[] saved = new byte[0];
        if (world.rank() == 0)
        {
            final Path file = context.runDir().resolve(PROGRESS_FILE);
            if (Files.exists(file))
            {
                saved = Files.readAllBytes(file);
            }
        }
        final String text = new String(world.broadcastBytes(saved, 0), StandardCharsets.US_ASCII).trim();
        try
        {
            return text.isEmpty() ? 0 : Long.parseLong(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalStateException(context.runDir().resolve(PROGRESS_FILE) + " holds '" + text +
                "', not a step: delete it to start over");
        }
    }
}
