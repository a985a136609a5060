package io.slipstream.api;

import io.slipstream.launcher.train.ProgressLine;
import io.slipstream.launcher.train.RunDirHooks;
import io.slipstream.trainer.dp.ForwardingTrainingHooks;
import io.slipstream.trainer.dp.StepReport;
import io.slipstream.trainer.model.FitId;

import java.io.PrintStream;

/**
 * The run directory's hooks (metrics, checkpoints, stop flag) with rank 0's progress in plain lines at the end of
 * an epoch: a DL4J iterator does not say how many steps an epoch has, so the progress line, which prints an epoch's
 * last step, is fed that step once the epoch is over ({@link #epochEnded}), at most ~10 lines per fit; every
 * reported step counts into its smoothed rate. On a terminal
 * the run directory's own bar is used instead.
 */
final class EpochProgress extends ForwardingTrainingHooks
{
    private final ProgressLine progress;
    private final StepReport last = new StepReport();
    private boolean pending;

    /** {@code hooks} without progress of their own; {@code out} null when this rank shows none. */
    EpochProgress(final RunDirHooks hooks, final PrintStream out)
    {
        super(hooks);
        this.progress = out == null ? null : new ProgressLine(out, false);
    }

    /** The epoch's last reported step is its last step: show it. */
    void epochEnded()
    {
        if (progress != null && pending)
        {
            progress.display(last);
            pending = false;
        }
    }

    /** Ends the progress output (a note when a stop cut an epoch short). */
    void finish()
    {
        if (progress != null)
        {
            progress.finish();
        }
    }

    @Override
    public void onStep(final StepReport report)
    {
        super.onStep(report);
        if (progress != null)
        {
            progress.observe(report);
            last.set(report.rank(), report.epoch(), report.epochs(), report.stepInEpoch(), report.stepInEpoch(),
                report.iteration(), report.loss(), report.globalSamples(), report.stepNanos(), report.commNanos(),
                report.skippedSteps());
            pending = true;
        }
    }

    @Override
    public void fitStarting(final FitId fit)
    {
        super.fitStarting(fit);
        if (progress != null)
        {
            progress.fitStarting(fit);
        }
    }
}
