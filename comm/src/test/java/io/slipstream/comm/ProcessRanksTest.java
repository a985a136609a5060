package io.slipstream.comm;

import io.slipstream.comm.transport.DriverHost;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ranks as separate JVMs: the full collective check, and kill -9 of one rank seen by every survivor. */
class ProcessRanksTest
{
    @Test
    void aRankReadsTheIdentityItsStarterGave()
    {
        final CommConfig config = ProcessRanks.rankConfig(Map.of(
            ProcessRanks.RANK, "2", ProcessRanks.SIZE, "3", ProcessRanks.COORDINATOR, "127.0.0.1:4000",
            ProcessRanks.JOB_ID, "j", ProcessRanks.SECRET, "a-secret-of-enough-length",
            ProcessRanks.HOST_ID, "n2", ProcessRanks.ADDRESS, "127.0.0.2", CommConfig.ENV_CHECKSUMS, "on")).build();
        assertEquals(2, config.rank());
        assertEquals(4000, config.coordinatorPort());
        assertEquals("127.0.0.2", config.advertiseAddress());
        assertTrue(config.checksums());
        final IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
            () -> ProcessRanks.rankConfig(Map.of()).build());
        assertTrue(size.getMessage().contains("CommConfig.size"), size.getMessage());
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> ProcessRanks.rankConfig(Map.of(ProcessRanks.COORDINATOR, "nohost")));
        assertTrue(ex.getMessage().contains("host:port"));
    }

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
    void killedRankIsReportedByEverySurvivorWithinTheDeadline() throws InterruptedException
    {
        killAndExpectReports(2);
    }

    @Test
    void killedCoordinatorAndDriverOwnerIsReportedByEverySurvivor() throws InterruptedException
    {
        killAndExpectReports(0);
    }

    private static void killAndExpectReports(final int victim) throws InterruptedException
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
                ranks.kill(victim);
                for (int r = 0; r < 3; r++)
                {
                    if (r != victim)
                    {
                        assertEquals(3, ranks.await(r, deadlineSeconds * 1000L), "rank " + r + ":\n" + ranks.output(r));
                        assertTrue(ranks.output(r).contains("LOST " + victim), ranks.output(r));
                    }
                }
                final long seconds = (System.nanoTime() - killedAt) / 1_000_000_000L;
                assertTrue(seconds <= deadlineSeconds, "survivors took " + seconds + " s");
            }
        });
        final CommConfig sameJob = CommConfig.builder().rank(0).size(1).jobId(jobId[0]).hostId("local")
            .secret(new byte[CommConfig.MIN_SECRET_BYTES]).build();
        final File dir = DriverHost.directoryFor(sameJob);
        if (victim == 0)
        {
            // The killed owner could not remove its directory: the next start's sweep does; do it now.
            Thread.sleep(1_500);
            assertTrue(DriverHost.removeIfDead(dir, 1_000), "a dead driver's directory is removable");
        }
        assertFalse(dir.exists(), "no driver directory is left behind");
    }

    @Test
    void stoppedRankIsReportedByEverySurvivorWithinTheDeadline() throws InterruptedException
    {
        stopAndExpectReports(2);
    }

    @Test
    void stoppedCoordinatorIsReportedByEverySurvivorWithinTheDeadline() throws InterruptedException
    {
        stopAndExpectReports(0);
    }

    /** SIGSTOP leaves every connection open: only the victim's silence (no heartbeats) can tell it. */
    private static void stopAndExpectReports(final int victim) throws InterruptedException
    {
        // Long enough for the start-up rounds on a loaded 2-core machine; the stopped rank is named at 3/4 of it.
        final int deadlineSeconds = 8;
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
                final long stoppedAt = System.nanoTime();
                signal(ranks.process(victim), "STOP");
                for (int r = 0; r < 3; r++)
                {
                    if (r != victim)
                    {
                        assertEquals(3, ranks.await(r, 3L * deadlineSeconds * 1000L), "rank " + r + ":\n" +
                            ranks.output(r));
                        assertTrue(ranks.output(r).contains("LOST " + victim), ranks.output(r));
                        assertTrue(ranks.output(r).contains("no heartbeat"), ranks.output(r));
                    }
                }
                final long millis = (System.nanoTime() - stoppedAt) / 1_000_000L;
                // Named within the deadline, plus one heartbeat period and the survivors' exit.
                assertTrue(millis <= deadlineSeconds * 1000L + 1_500, "survivors took " + millis + " ms");
                signal(ranks.process(victim), "CONT");
            }
        });
        // The driver's owner, killed when it was stopped, may leave its directory: the next start's sweep would
        // remove it; do it now.
        final File dir = DriverHost.directoryFor(CommConfig.builder().rank(0).size(1).jobId(jobId[0])
            .hostId("local").secret(new byte[CommConfig.MIN_SECRET_BYTES]).build());
        final long end = System.nanoTime() + 15_000_000_000L;
        while (dir.exists() && !DriverHost.removeIfDead(dir, 1_000) && System.nanoTime() < end)
        {
            Thread.sleep(200);
        }
        assertFalse(dir.exists(), "no driver directory is left behind");
    }

    @Test
    void rankThatNeverStartsIsNamedByRankZeroAtTheDeadline()
    {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
        {
            // A job of two where only rank 0 runs.
            try (ProcessRanks ranks = ProcessRanks.start(1, RankMain.class, List.of("loop", "4"),
                (rank) -> Map.of(ProcessRanks.SIZE, "2")))
            {
                assertEquals(4, ranks.await(0, 40_000), ranks.output(0));
                assertTrue(ranks.output(0).contains("rank(s) 1 have not joined"), ranks.output(0));
                assertFalse(ranks.output(0).contains("rank 0 lost"), ranks.output(0));
            }
        });
    }

    @Test
    void coordinatorKilledDuringStartUpIsNamedByTheOtherRank()
    {
        killDuringStartUp(0, 1);
    }

    @Test
    void rankKilledDuringStartUpIsNamedByTheCoordinator()
    {
        killDuringStartUp(1, 0);
    }

    /**
     * A job of three where rank 2 never starts, so ranks 0 and 1 stay in the first bootstrap round; {@code victim}
     * is killed there and {@code survivor} must name it within the deadline: promptly when the victim had joined
     * (the usual case by then), at the deadline among the ranks that never joined when the machine was too slow.
     */
    private static void killDuringStartUp(final int victim, final int survivor)
    {
        final int deadlineSeconds = 15;
        assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
        {
            try (ProcessRanks ranks = ProcessRanks.start(2, RankMain.class, List.of("loop", "" + deadlineSeconds),
                (rank) -> Map.of(ProcessRanks.SIZE, "3")))
            {
                Thread.sleep(4_000);
                assertTrue(ranks.process(victim).isAlive(), "rank " + victim + " ended early:\n" +
                    ranks.output(victim));
                final long killedAt = System.nanoTime();
                ranks.kill(victim);
                final int code = ranks.await(survivor, (deadlineSeconds + 10) * 1000L);
                final long seconds = (System.nanoTime() - killedAt) / 1_000_000_000L;
                final String output = ranks.output(survivor);
                assertTrue(seconds <= deadlineSeconds, "rank " + survivor + " took " + seconds + " s:\n" + output);
                assertFalse(output.contains("rank " + survivor + " lost"), output);
                if (code == 3)
                {
                    assertTrue(output.contains("LOST " + victim), output);
                    assertTrue(seconds < deadlineSeconds / 2, "a closed connection is reported at once, not at " +
                        "the deadline; took " + seconds + " s:\n" + output);
                    if (victim == 0)
                    {
                        assertTrue(output.contains("coordinator"), output);
                    }
                }
                else if (victim == 0)
                {
                    assertEquals(5, code, output);
                    assertTrue(output.contains("check that rank 0 runs"), output);
                }
                else
                {
                    assertEquals(4, code, output);
                    assertTrue(output.contains("rank(s) " + victim + ", 2 have not joined"), output);
                }
            }
        });
    }

    @Test
    void pausedRankShorterThanTheDeadlineIsWaitedForLongerIsNamed() throws Exception
    {
        assertTimeoutPreemptively(Duration.ofSeconds(90), () ->
        {
            try (ProcessRanks ranks = ProcessRanks.start(3, RankMain.class, List.of("count", "6"), (rank) -> Map.of()))
            {
                awaitReady(ranks);
                signal(ranks.process(2), "STOP");
                Thread.sleep(2_000); // a third of the deadline
                signal(ranks.process(2), "CONT");
                for (int r = 0; r < 3; r++)
                {
                    assertEquals(0, ranks.await(r, 60_000), "rank " + r + ":\n" + ranks.output(r));
                }
            }
            try (ProcessRanks ranks = ProcessRanks.start(3, RankMain.class, List.of("count", "3"), (rank) -> Map.of()))
            {
                awaitReady(ranks);
                signal(ranks.process(2), "STOP");
                for (int r = 0; r < 2; r++)
                {
                    // Its heartbeats stop: the coordinator names it lost to every survivor.
                    final int code = ranks.await(r, 30_000);
                    assertEquals(3, code, "rank " + r + ":\n" + ranks.output(r));
                    assertTrue(ranks.output(r).contains("LOST 2"), ranks.output(r));
                }
                signal(ranks.process(2), "CONT");
            }
        });
    }

    private static void awaitReady(final ProcessRanks ranks) throws InterruptedException
    {
        final long end = System.nanoTime() + 40_000_000_000L;
        for (int r = 0; r < ranks.size(); r++)
        {
            while (!ranks.output(r).contains("READY " + r))
            {
                assertTrue(ranks.process(r).isAlive(), "rank " + r + " died early:\n" + ranks.output(r));
                assertTrue(System.nanoTime() < end, "rank " + r + " never got ready:\n" + ranks.output(r));
                Thread.sleep(20);
            }
        }
        Thread.sleep(200);
    }

    private static void signal(final Process process, final String name) throws Exception
    {
        final Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
        assertEquals(0, kill.waitFor(), "kill -" + name);
    }
}
