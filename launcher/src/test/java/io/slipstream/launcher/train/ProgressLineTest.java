package io.slipstream.launcher.train;

import io.slipstream.trainer.dp.StepReport;
import io.slipstream.trainer.model.FitId;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressLineTest
{
    private static StepReport report(final int epoch, final int step, final int steps)
    {
        return new StepReport().set(0, epoch, 2, step, steps, 7L, 0.5, 100L, 50_000_000L, 1_000_000L, 0L);
    }

    @Test
    void plainLinesForLogsOncePerEpoch()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        line.show(report(0, 2, 4));
        line.show(report(0, 4, 4));
        line.show(report(1, 2, 4));
        line.finish();
        assertEquals("epoch 1/2 step 4/4 loss 0.5000 2000 samples/s" + System.lineSeparator() +
            "epoch 2 ended early (stop requested)" + System.lineSeparator(), bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void plainLinesForLongRunsEveryTenthOfTheEpochs()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        for (int epoch = 0; epoch < 100; epoch++)
        {
            line.show(new StepReport().set(0, epoch, 100, 3, 3, epoch * 3 + 3, 0.25, 10, 1_000_000L, 0, 0));
        }
        final String[] lines = bytes.toString(StandardCharsets.UTF_8).split(System.lineSeparator());
        assertEquals(10, lines.length);
        assertEquals("epoch 10/100 step 3/3 loss 0.2500 10000 samples/s", lines[0]);
        assertEquals("epoch 100/100 step 3/3 loss 0.2500 10000 samples/s", lines[9]);
    }

    @Test
    void aBarRedrawnInPlaceOnATerminal()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        line.show(report(0, 2, 4));
        line.show(report(1, 4, 4));
        line.finish();
        assertEquals("\repoch 1/2 [############------------] step 2/4 loss 0.5000 2000 samples/s ETA 0s" +
            System.lineSeparator() +
            "\repoch 2/2 [########################] step 4/4 loss 0.5000 2000 samples/s" + System.lineSeparator(),
            bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theRateIsSmoothedOverRecentStepsAndRestartsWithEachFit()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        final StepReport step = new StepReport();
        for (int i = 0; i < 50; i++)
        {
            line.observe(step.set(0, 0, 1, i + 1, 100, i + 1, 0.5, 100, 1_000_000L, 0, 0));
        }
        assertEquals(100_000, line.smoothedSamplesPerSecond(), 1e-6, "steady 100 samples per ms");
        // One step 1000 times faster (the swing from 49 to 62,000 samples/s a last-step rate shows).
        line.observe(step.set(0, 0, 1, 51, 100, 51, 0.5, 100, 1_000L, 0, 0));
        final double after = line.smoothedSamplesPerSecond();
        assertTrue(after > 100_000 && after < 130_000, "one fast step moves the rate a little: " + after);
        assertEquals(1e8, step.samplesPerSecond(), 1e-3, "while that step alone says 100,000,000");
        line.fitStarting(FitId.cv(0, 2, 1, 5));
        assertEquals(0, line.smoothedSamplesPerSecond(), "a new fit starts its own rate");
        assertEquals("", bytes.toString(StandardCharsets.UTF_8), "observing prints nothing");
    }

    @Test
    void plainLinesComeAtLeastEveryThirtySecondsMidEpochAndAtSlowFitStarts()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final long[] now = {0};
        final ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), false,
            () -> now[0]);
        line.fitStarting(FitId.cv(11, 108, 2, 5));
        final StepReport step = new StepReport();
        for (int i = 1; i <= 9; i++)
        {
            now[0] = i * 10_000_000_000L;
            line.show(step.set(0, 0, 2, i, 1000, i, 0.5, 100, 1_000_000L, 0, 0));
        }
        now[0] = 200_000_000_000L;
        line.fitStarting(FitId.refitOf(11, 108));
        line.fitStarting(FitId.refitOf(11, 108));
        final String[] lines = bytes.toString(StandardCharsets.UTF_8).split(System.lineSeparator());
        assertEquals(4, lines.length, String.join("\n", lines));
        assertEquals("[setting 12/108 fold 3/5] epoch 1/2 step 3/1000 loss 0.5000 100000 samples/s ETA 1s", lines[0],
            "the step at 30 s");
        assertTrue(lines[1].startsWith("[setting 12/108 fold 3/5] epoch 1/2 step 6/1000 "), lines[1]);
        assertTrue(lines[2].startsWith("[setting 12/108 fold 3/5] epoch 1/2 step 9/1000 "), lines[2]);
        assertEquals("[refit] starting", lines[3], "a fit 30 s after the last line says so, once");
    }
}
