package io.slipstream.launcher.local;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ranks here are small shell scripts, so the launcher's process handling is tested without a JVM per rank. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalLauncherTest
{
    private static final long GRACE = TimeUnit.SECONDS.toNanos(2);

    @TempDir
    Path dir;

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(captured, true);

    /** Each rank records its pid in dir/pid-RANK, then runs {@code script}. */
    private LocalLauncher launcher(final int ranks, final String script, final boolean verbose)
    {
        final String body = "echo $$ > " + dir + "/pid-$SLIPSTREAM_RANK; " + script;
        return new LocalLauncher(ranks, List.of("bash", "-c", body), Map.of("SLIPSTREAM_SIZE", Integer.toString(ranks)),
            verbose, out, GRACE, null);
    }

    private void assertNoRankAlive(final int ranks) throws IOException
    {
        for (int k = 0; k < ranks; k++)
        {
            final Path file = dir.resolve("pid-" + k);
            if (Files.exists(file))
            {
                final long pid = Long.parseLong(Files.readString(file).trim());
                assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "rank " + k + " alive");
            }
        }
    }

    @Test
    void ranksThatSucceedGiveZeroAndRankZerosOutputIsPrefixed() throws IOException
    {
        final int status = launcher(3, "echo hello from $SLIPSTREAM_RANK of $SLIPSTREAM_SIZE", false).run();
        assertEquals(0, status);
        final String text = captured.toString();
        assertTrue(text.contains("[rank 0] hello from 0 of 3"), text);
        assertFalse(text.contains("[rank 1]"), "only rank 0 is shown by default");
    }

    @Test
    void verboseShowsEveryRank() throws IOException
    {
        assertEquals(0, launcher(2, "echo hi $SLIPSTREAM_LOCAL_RANK", true).run());
        assertTrue(captured.toString().contains("[rank 1] hi 1"));
    }

    @Test
    void aFailingRankStopsTheOthersAndGivesItsStatus() throws IOException
    {
        final long start = System.nanoTime();
        final int status = launcher(3,
            "if [ $SLIPSTREAM_RANK = 1 ]; then echo 'bad thing on rank 1'; sleep 0.3; exit 7; fi; sleep 60", false).run();
        assertEquals(7, status);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30));
        final String text = captured.toString();
        assertTrue(text.contains("rank 1 exited with status 7"), text);
        assertTrue(text.contains("[rank 1] bad thing on rank 1"), "a failed hidden rank's last lines are shown");
        assertNoRankAlive(3);
    }

    @Test
    void theCauseIsBlamedNotTheRankThatSawItFirst() throws IOException
    {
        final int status = launcher(3,
            "case $SLIPSTREAM_RANK in 0) exit 4;; 1) sleep 0.5; exit 7;; esac; sleep 60", false).run();
        assertEquals(7, status, captured.toString());
        assertTrue(captured.toString().contains("rank 1 exited with status 7"), captured.toString());
        assertNoRankAlive(3);
    }

    @Test
    void aStoppedRankIsBlamedNotTheRankThatExitedBecauseOfIt() throws IOException
    {
        final long start = System.nanoTime();
        final int status = launcher(3,
            "case $SLIPSTREAM_RANK in 0) sleep 0.5; exit 4;; 1) kill -STOP $$;; esac; sleep 60", false).run();
        final String text = captured.toString();
        assertEquals(1, status, text);
        assertTrue(text.contains("rank 1 is stopped by a signal (SIGSTOP or a debugger); the other ranks stopped " +
            "because of it (rank 0 exited with status 4 (stopped because another rank failed))"), text);
        assertFalse(text.contains("rank 0 exited with status 4; stopping"), text);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(9), "blamed without waiting out the window");
        assertNoRankAlive(3);
    }

    @Test
    void aKilledRankIsNamedWithItsSignal() throws IOException
    {
        final int status = launcher(2, "if [ $SLIPSTREAM_RANK = 0 ]; then sleep 0.3; kill -9 $$; fi; sleep 60", false)
            .run();
        assertEquals(137, status);
        assertTrue(captured.toString().contains("rank 0 exited with status 137 (killed by SIGKILL)"));
        assertNoRankAlive(2);
    }

    @Test
    void aStopRequestEndsEveryRankEvenOneThatIgnoresTerm() throws Exception
    {
        final LocalLauncher launcher = launcher(2,
            "if [ $SLIPSTREAM_RANK = 1 ]; then trap '' TERM; fi; echo started; for i in $(seq 600); do sleep 0.1; done",
            true);
        final Thread stopper = new Thread(() ->
        {
            try
            {
                while (!(Files.exists(dir.resolve("pid-0")) && Files.exists(dir.resolve("pid-1"))))
                {
                    Thread.sleep(20);
                }
                Thread.sleep(300);
            }
            catch (final InterruptedException ignored)
            {
                return;
            }
            launcher.requestStop(15);
        });
        stopper.start();
        assertEquals(143, launcher.run());
        stopper.join();
        assertTrue(captured.toString().contains("rank 1 did not stop within the grace period"), captured.toString());
        assertNoRankAlive(2);
    }

    /** A rank that checkpoints on SIGUSR1: it says so and exits 3, as a real rank's stop flag makes it. */
    private static final String CHECKPOINTS_ON_USR1 =
        "trap 'echo checkpoint written; exit 3' USR1; echo started; for i in $(seq 600); do sleep 0.1; done";

    private void awaitPids(final int ranks) throws InterruptedException
    {
        for (int k = 0; k < ranks; k++)
        {
            while (!Files.exists(dir.resolve("pid-" + k)))
            {
                Thread.sleep(20);
            }
        }
        // Past the pid file, bash has set its trap.
        Thread.sleep(300);
    }

    @Test
    void aCheckpointRequestReachesEveryRankAndGivesThree() throws Exception
    {
        final LocalLauncher launcher = launcher(3, CHECKPOINTS_ON_USR1, true);
        final Thread requester = new Thread(() ->
        {
            try
            {
                awaitPids(3);
            }
            catch (final InterruptedException ignored)
            {
                return;
            }
            launcher.requestCheckpoint();
        });
        requester.start();
        assertEquals(3, launcher.run(), captured.toString());
        requester.join();
        final String text = captured.toString();
        for (int k = 0; k < 3; k++)
        {
            assertTrue(text.contains("[rank " + k + "] checkpoint written"), text);
        }
        assertTrue(text.contains("all ranks checkpointed and stopped (status 3)"), text);
        assertFalse(text.contains("failed"), text);
        assertNoRankAlive(3);
    }

    @Test
    void aRankThatCheckpointsOnItsOwnHasTheOthersDoTheSame() throws Exception
    {
        final LocalLauncher launcher = launcher(2,
            "if [ $SLIPSTREAM_RANK = 1 ]; then sleep 0.5; echo stopping; exit 3; fi; " + CHECKPOINTS_ON_USR1, true);
        assertEquals(3, launcher.run(), captured.toString());
        final String text = captured.toString();
        assertTrue(text.contains("rank 1 checkpointed and stopped; asking the other ranks to do the same"), text);
        assertTrue(text.contains("[rank 0] checkpoint written"), text);
        assertTrue(text.contains("all ranks checkpointed and stopped (status 3)"), text);
        assertFalse(text.contains("failed"), text);
        assertNoRankAlive(2);
    }

    @Test
    void aFailureAfterACheckpointIsStillAFailure() throws Exception
    {
        final LocalLauncher launcher = launcher(2,
            "if [ $SLIPSTREAM_RANK = 1 ]; then sleep 0.3; exit 3; fi; trap 'exit 7' USR1; " +
            "for i in $(seq 600); do sleep 0.1; done", false);
        assertEquals(7, launcher.run(), captured.toString());
        assertTrue(captured.toString().contains("rank 0 failed with status 7"), captured.toString());
        assertNoRankAlive(2);
    }

    @Test
    void boundRanksRunOnTheirOwnCpus() throws Exception
    {
        final String[] lists = CpuBinding.forLocalRanks(2, null);
        Assumptions.assumeTrue(lists != null, "needs taskset and at least 2 CPUs");
        final LocalLauncher launcher = new LocalLauncher(2, List.of("bash", "-c",
            "grep Cpus_allowed_list /proc/self/status > " + dir + "/cpus-$SLIPSTREAM_RANK"), Map.of(), false, out,
            GRACE, lists);
        assertEquals(0, launcher.run(), captured.toString());
        for (int rank = 0; rank < 2; rank++)
        {
            final String line = Files.readString(dir.resolve("cpus-" + rank)).trim();
            assertEquals(CpuBinding.parse(lists[rank]), CpuBinding.parse(line.substring(line.indexOf(':') + 1)),
                "rank " + rank + ": " + line);
        }
        assertTrue(CpuBinding.forLocalRanks(2, "none") == null);
    }

    @Test
    void aCommandThatCannotStartIsReported()
    {
        final LocalLauncher launcher = new LocalLauncher(2, List.of(dir.resolve("missing").toString()), Map.of(), false,
            out, GRACE, null);
        final IOException ex = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, launcher::run);
        assertTrue(ex.getMessage().contains("cannot start a rank"));
    }
}
