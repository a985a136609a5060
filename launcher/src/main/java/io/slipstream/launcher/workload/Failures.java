package io.slipstream.launcher.workload;

import io.slipstream.launcher.job.JobContext;
import io.slipstream.launcher.signal.ExitCode;

import java.util.concurrent.TimeUnit;

/** Carries out a {@link FailurePlan} when it fires. */
final class Failures
{
    private Failures()
    {
    }

    /** Returns the code the job should return now, or {@link ExitCode#OK} to go on. HALT does not return. */
    static int apply(final FailurePlan plan, final int rank, final int round, final JobContext context)
        throws InterruptedException
    {
        if (!plan.firesAt(rank, round))
        {
            return ExitCode.OK;
        }
        context.out().println("rank " + rank + ": injected failure (" + plan.how().name().toLowerCase() +
            ") at round " + round);
        context.out().flush();
        switch (plan.how())
        {
            case HALT:
                Runtime.getRuntime().halt(plan.exitCode());
                return plan.exitCode();
            case HANG:
                while (!context.hooks().stopRequested())
                {
                    TimeUnit.MILLISECONDS.sleep(100);
                }
                return ExitCode.CHECKPOINTED_AND_STOPPED;
            default:
                return plan.exitCode();
        }
    }
}
