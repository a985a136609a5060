package io.slipstream.launcher.workload;

import io.slipstream.comm.Communicator;
import io.slipstream.comm.ReduceOp;
import io.slipstream.launcher.job.Job;
import io.slipstream.launcher.job.JobContext;
import io.slipstream.launcher.signal.ExitCode;

import java.util.concurrent.TimeUnit;

/**
 * Holds the world for a while in steps of {@code stepMillis}, the way a training loop would: at each
 * step boundary the ranks agree (MAX allreduce) whether any was asked to stop, and if so all stop
 * together with {@link ExitCode#CHECKPOINTED_AND_STOPPED} (a sleep has no state, so there is nothing
 * else to save). Useful to test signals, Ctrl-C and a dying rank.
 */
final class SleepWorkload implements Job
{
    private final long millis;
    private final long stepMillis;
    private final FailurePlan failure;

    SleepWorkload(final long millis, final long stepMillis, final FailurePlan failure)
    {
        this.millis = millis;
        this.stepMillis = stepMillis;
        this.failure = failure;
    }

    @Override
    public int run(final JobContext context) throws Exception
    {
        final Communicator world = context.world();
        final int[] stop = new int[1];
        final long steps = Math.max(1, millis / stepMillis);
        if (world.rank() == 0)
        {
            context.out().println("sleep: " + world.size() + " ranks for " + millis + " ms");
        }
        for (int step = 0; step < steps; step++)
        {
            final int code = Failures.apply(failure, world.rank(), step, context);
            if (code != ExitCode.OK)
            {
                return code;
            }
            stop[0] = context.hooks().stopRequested() ? 1 : 0;
            world.allreduce(stop, ReduceOp.MAX);
            if (stop[0] != 0)
            {
                if (world.rank() == 0)
                {
                    context.out().println("sleep: stop requested; all ranks stop at step " + step);
                }
                return ExitCode.CHECKPOINTED_AND_STOPPED;
            }
            TimeUnit.MILLISECONDS.sleep(stepMillis);
        }
        world.barrier();
        if (world.rank() == 0)
        {
            context.out().println("sleep OK");
        }
        return ExitCode.OK;
    }
}
