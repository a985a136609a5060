package io.slipstream.launcher.train;

import io.slipstream.trainer.dp.StepReport;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Rank 0's view of training: on a terminal a bar per epoch redrawn in place
 * ({@code epoch 2/50 [#####-----] 12/24 loss 0.4132 1830 samples/s ETA 3s}), otherwise a plain line at the
 * end of every tenth of the epochs (and the last), at most ~10 lines per fit, which reads well in SLURM
 * output files.
 */
public final class ProgressLine
{
    private static final int WIDTH = 24;

    private final PrintStream out;
    private final boolean terminal;
    private final StringBuilder line = new StringBuilder(160);
    private int lastEpoch = -1;
    private boolean open;
    private boolean pending;
    private int pendingEpoch;

    public ProgressLine(final PrintStream out, final boolean terminal)
    {
        this.out = out;
        this.terminal = terminal;
    }

    public void show(final StepReport report)
    {
        final int every = Math.max(1, report.epochs() / 10);
        final boolean epochEnd = report.stepsInEpoch() <= 0 || report.stepInEpoch() >= report.stepsInEpoch();
        final boolean shown = (report.epoch() + 1) % every == 0 || report.epoch() + 1 == report.epochs();
        if (!terminal && !(epochEnd && shown))
        {
            pending = true;
            pendingEpoch = report.epoch();
            return;
        }
        pending = false;
        if (open && report.epoch() != lastEpoch)
        {
            out.println();
            open = false;
        }
        lastEpoch = report.epoch();
        line.setLength(0);
        line.append("epoch ").append(report.epoch() + 1).append('/').append(report.epochs()).append(' ');
        final int steps = report.stepsInEpoch();
        if (terminal && steps > 0)
        {
            final int filled = (int)((long)WIDTH * report.stepInEpoch() / steps);
            line.append('[');
            for (int i = 0; i < WIDTH; i++)
            {
                line.append(i < filled ? '#' : '-');
            }
            line.append("] ");
        }
        line.append("step ").append(report.stepInEpoch());
        if (steps > 0)
        {
            line.append('/').append(steps);
        }
        line.append(String.format(Locale.ROOT, " loss %.4f %.0f samples/s", report.loss(), report.samplesPerSecond()));
        if (steps > 0 && report.stepNanos() > 0 && report.stepInEpoch() < steps)
        {
            final double eta = (steps - report.stepInEpoch()) * report.stepNanos() / 1e9;
            line.append(String.format(Locale.ROOT, " ETA %.0fs", eta));
        }
        if (report.skippedSteps() > 0)
        {
            line.append(" skipped ").append(report.skippedSteps());
        }
        if (terminal)
        {
            out.print('\r');
            out.print(line);
            open = true;
            out.flush();
        }
        else
        {
            out.println(line);
        }
    }

    /** Ends the bar left open on the terminal, if any; in plain mode notes an epoch a stop cut short. */
    public void finish()
    {
        if (pending)
        {
            out.println("epoch " + (pendingEpoch + 1) + " ended early (stop requested)");
            pending = false;
        }
        if (open)
        {
            out.println();
            out.flush();
            open = false;
        }
    }
}
