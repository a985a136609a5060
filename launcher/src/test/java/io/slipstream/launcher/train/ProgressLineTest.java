package io.slipstream.launcher.train;

import io.slipstream.trainer.dp.StepReport;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
