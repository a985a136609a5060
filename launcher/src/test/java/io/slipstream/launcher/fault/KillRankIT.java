package io.slipstream.launcher.fault;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CI part of the kill -9 suite: a few trials of {@link KillRankTrials}, three during training and one during
 * start-up (the long version is {@code launcher/scripts/fault-kill-rank.sh}); {@code -Dslipstream.fault.trials} and
 * {@code -Dslipstream.fault.seed} change the count and replay a series.
 */
class KillRankIT
{
    private static final int TRIALS = Integer.getInteger("slipstream.fault.trials", 4);

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void killingAnyRankAtAnyMomentLosesNoCheckpointAndTheResumeEndsEqual() throws Exception
    {
        final ByteArrayOutputStream log = new ByteArrayOutputStream();
        final long seed = Long.getLong("slipstream.fault.seed", System.nanoTime());
        final KillRankTrials.Tally tally =
            KillRankTrials.run(dir, TRIALS, seed, new PrintStream(log, true, StandardCharsets.UTF_8));
        final String report = "seed " + seed + " (rerun with -Dslipstream.fault.seed=" + seed + ")\n" +
            tally.summary() + "\n" + String.join("\n", tally.problems()) + "\n" + log.toString(StandardCharsets.UTF_8);
        System.out.println(report);
        assertEquals(0, tally.hangs(), report);
        assertEquals(0, tally.lostCheckpoints(), report);
        assertEquals(TRIALS, tally.resumesEqual(), report);
        assertTrue(tally.faultsInjected() >= 1, "at least one kill landed while the job ran: " + report);
        if (TRIALS >= KillRankTrials.START_UP_EVERY)
        {
            assertTrue(tally.startUpKills() >= 1, "the start-up trial's kill landed before training: " + report);
        }
        assertTrue(tally.passed(), report);
    }
}
