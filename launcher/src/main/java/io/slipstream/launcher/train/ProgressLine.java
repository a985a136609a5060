package io.slipstream.launcher.train;

import io.slipstream.trainer.dp.StepReport;
import io.slipstream.trainer.model.FitId;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Rank 0's view of training: on a terminal a bar per epoch redrawn in place
 * ({@code [setting 2/8 fold 1/5] epoch 2/50 [#####-----] 12/24 loss 0.4132 1830 samples/s ETA 3s}), otherwise a
 * plain line at the end of every tenth of the epochs (and the last), and at least every {@link #HEARTBEAT_NANOS}
 * (30 s) while steps are reported, which reads well in SLURM output files. Each line starts with the fit it
 * belongs to ({@link FitId#label()}: {@code [setting 12/108 fold 3/5]}, {@code [refit]}; nothing for a run's only
 * fit). The rate is smoothed: an exponentially weighted mean over the reported steps (samples and time each decayed
 * by {@link #DECAY} per step), so one fast or slow step does not swing it; it restarts with every fit.
 */
public final class ProgressLine
{
    /** Longest gap between two plain lines while steps are reported. */
    public static final long HEARTBEAT_NANOS = 30_000_000_000L;
    /** Weight of the history in the smoothed rate per reported step (about the last 5 steps count). */
    static final double DECAY = 0.8;
    private static final int WIDTH = 24;

    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier clock;
    private final StringBuilder line = new StringBuilder(160);
    private String label = "";
    private int lastEpoch = -1;
    private boolean open;
    private boolean pending;
    private int pendingEpoch;
    private long lastLineNanos;
    private double smoothSamples;
    private double smoothNanos;
    private double smoothSteps;

    /** Progress to {@code out}: a bar redrawn in place when {@code terminal}, else plain lines. */
    public ProgressLine(final PrintStream out, final boolean terminal)
    {
        this(out, terminal, System::nanoTime);
    }

    /** As {@link #ProgressLine(PrintStream, boolean)} with the clock that times the 30 s heartbeat. */
    ProgressLine(final PrintStream out, final boolean terminal, final LongSupplier clock)
    {
        this.out = out;
        this.terminal = terminal;
        this.clock = clock;
        this.lastLineNanos = clock.getAsLong();
    }

    /**
     * The steps that follow belong to {@code fit}: its label prefixes the lines, and the smoothed rate restarts. In
     * plain mode a fit that starts 30 s or more after the last line gets a line of its own ({@code [setting 3/8
     * fold 2/5] starting}), so a search of families that report no steps (forests) still shows it is moving.
     */
    public void fitStarting(final FitId fit)
    {
        closeBar();
        pending = false;
        label = fit.label();
        final long now = clock.getAsLong();
        if (!terminal && !label.isEmpty() && now - lastLineNanos >= HEARTBEAT_NANOS)
        {
            out.println(label + " starting");
            lastLineNanos = now;
        }
        lastEpoch = -1;
        smoothSamples = 0;
        smoothNanos = 0;
        smoothSteps = 0;
    }

    /** Counts the step into the smoothed rate and shows it when it is due ({@link #observe}, then {@link #display}). */
    public void show(final StepReport report)
    {
        observe(report);
        display(report);
    }

    /** Counts a reported step into the smoothed rate without showing it. */
    public void observe(final StepReport report)
    {
        if (report.stepNanos() > 0)
        {
            smoothSamples = DECAY * smoothSamples + report.globalSamples();
            smoothNanos = DECAY * smoothNanos + report.stepNanos();
            smoothSteps = DECAY * smoothSteps + 1;
        }
    }

    /** Samples per second over the recent reported steps of this fit (0 before any timed step). */
    public double smoothedSamplesPerSecond()
    {
        return smoothNanos > 0 ? smoothSamples * 1e9 / smoothNanos : 0;
    }

    /** Shows {@code report} (already {@link #observe observed}) if it is due: always on a terminal. */
    public void display(final StepReport report)
    {
        final int every = Math.max(1, report.epochs() / 10);
        final boolean epochEnd = report.stepsInEpoch() <= 0 || report.stepInEpoch() >= report.stepsInEpoch();
        final boolean shown = (report.epoch() + 1) % every == 0 || report.epoch() + 1 == report.epochs();
        final long now = clock.getAsLong();
        if (!terminal && !(epochEnd && shown) && now - lastLineNanos < HEARTBEAT_NANOS)
        {
            pending = true;
            pendingEpoch = report.epoch();
            return;
        }
        pending = false;
        lastLineNanos = now;
        if (open && report.epoch() != lastEpoch)
        {
            out.println();
            open = false;
        }
        lastEpoch = report.epoch();
        line.setLength(0);
        if (!label.isEmpty())
        {
            line.append(label).append(' ');
        }
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
        line.append(String.format(Locale.ROOT, " loss %.4f %.0f samples/s", report.loss(),
            smoothedSamplesPerSecond()));
        if (steps > 0 && smoothSteps > 0 && report.stepInEpoch() < steps)
        {
            final double eta = (steps - report.stepInEpoch()) * (smoothNanos / smoothSteps) / 1e9;
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
            out.println((label.isEmpty() ? "" : label + " ") + "epoch " + (pendingEpoch + 1) +
                " ended early (stop requested)");
            pending = false;
        }
        closeBar();
    }

    private void closeBar()
    {
        if (open)
        {
            out.println();
            out.flush();
            open = false;
        }
    }
}
