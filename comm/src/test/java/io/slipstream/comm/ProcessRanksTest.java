package io.slipstream.comm;

import io.slipstream.comm.transport.DriverHost;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ranks as separate JVMs: the full collective check, and kill -9 of one rank seen by every survivor. */
class ProcessRanksTest
{
    @Test
    void collectivesAcrossThreeJvms()
    {
        assertTimeoutPreemptively(Duration.ofMinutes(2), () ->
        {
            try (ProcessRanks ranks = ProcessRanks.start(3, RankMain.class, List.of("collectives", "60"),
                (rank) -> Map.of()))
            {
                for (int r = 0; r < 3; r++)
                {
                    assertEquals(0, ranks.await(r, 100_000), "rank " + r + " output:\n" + ranks.output(r));
                    assertTrue(ranks.output(r).contains("OK " + r), ranks.output(r));
                }
            }
        });
    }

    @Test
    void killedRankIsReportedByEverySurvivorWithinTheDeadline()
    {
        final int deadlineSeconds = 20;
        final String[] jobId = new String[1];
        assertTimeoutPreemptively(Duration.ofMinutes(1), () ->
        {
            try (ProcessRanks ranks = ProcessRanks.start(3, RankMain.class, List.of("loop", "" + deadlineSeconds),
                (rank) -> Map.of()))
            {
                jobId[0] = ranks.jobId();
                final long end = System.nanoTime() + 40_000_000_000L;
                for (int r = 0; r < 3; r++)
                {
                    while (!ranks.output(r).contains("READY " + r))
                    {
                        assertTrue(ranks.process(r).isAlive(), "rank " + r + " died early:\n" + ranks.output(r));
                        assertTrue(System.nanoTime() < end, "rank " + r + " never got ready:\n" + ranks.output(r));
                        Thread.sleep(20);
                    }
                }
                Thread.sleep(300);
                final long killedAt = System.nanoTime();
                ranks.kill(2);
                for (int r = 0; r < 2; r++)
                {
                    assertEquals(3, ranks.await(r, deadlineSeconds * 1000L), "rank " + r + ":\n" + ranks.output(r));
                    assertTrue(ranks.output(r).contains("LOST 2"), ranks.output(r));
                }
                final long seconds = (System.nanoTime() - killedAt) / 1_000_000_000L;
                assertTrue(seconds <= deadlineSeconds, "survivors took " + seconds + " s");
            }
        });
        final CommConfig sameJob = CommConfig.builder().rank(0).size(1).jobId(jobId[0]).hostId("local")
            .secret(new byte[CommConfig.MIN_SECRET_BYTES]).build();
        assertFalse(DriverHost.directoryFor(sameJob).exists(), "the surviving driver owner removes its directory");
    }
}
