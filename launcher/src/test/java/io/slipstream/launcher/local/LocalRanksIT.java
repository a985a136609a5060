package io.slipstream.launcher.local;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code slipstream local} with real rank JVMs: a rank killed, Ctrl-C, the launcher itself killed. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LocalRanksIT
{
    /**
     * The host id these tests give their ranks, so their driver directories (which end with it) are told apart from
     * those of other jobs on this machine that share its machine id.
     */
    private static final String MY_DRIVER_SUFFIX = "localranksit-" + Long.toHexString(new Random().nextLong());
    private static final Map<String, String> ENV = Map.of("SLIPSTREAM_HOST_ID", MY_DRIVER_SUFFIX);

    @TempDir
    Path dir;

    private Path sleepJob() throws IOException
    {
        final Path job = dir.resolve("nap.yaml");
        Files.writeString(job, "name: nap\nworkload:\n  kind: sleep\n  seconds: 120\n  step_ms: 50\n");
        return job;
    }

    private static List<String> myDriverDirectories()
    {
        final List<String> found = new ArrayList<>();
        final File[] entries = new File("/dev/shm").listFiles();
        if (entries != null)
        {
            for (final File entry : entries)
            {
                if (entry.getName().startsWith("slipstream-") && entry.getName().endsWith(MY_DRIVER_SUFFIX))
                {
                    found.add(entry.getName());
                }
            }
        }
        return found;
    }

    /** The job secret reaches every rank through its environment, and appears on no command line and in no log. */
    private static void assertSecretOnlyInTheEnvironment(final List<ProcessHandle> ranks, final CommandRun local)
        throws IOException
    {
        String secret = null;
        for (final ProcessHandle rank : ranks)
        {
            final String environ = Files.readString(Path.of("/proc", Long.toString(rank.pid()), "environ"));
            String mine = null;
            for (final String entry : environ.split("\0"))
            {
                if (entry.startsWith("SLIPSTREAM_SECRET="))
                {
                    mine = entry.substring("SLIPSTREAM_SECRET=".length());
                }
            }
            assertTrue(mine != null && mine.length() >= 32, "rank " + rank.pid() + " has a secret");
            assertTrue(secret == null || secret.equals(mine), "every rank has the same secret");
            secret = mine;
            final String cmdline = Files.readString(Path.of("/proc", Long.toString(rank.pid()), "cmdline"));
            assertTrue(!cmdline.contains(secret), "the secret is not on a rank's command line");
        }
        assertTrue(!local.output().contains(secret), "the secret is not in the output");
    }

    /** Driver directories are removed as ranks exit; allow a few seconds for the last one. */
    private static void assertNoNewDriverDirectory(final List<String> before, final CommandRun local)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!before.containsAll(myDriverDirectories()) && System.nanoTime() < deadline)
        {
            Thread.sleep(50);
        }
        final List<String> left = new ArrayList<>(myDriverDirectories());
        left.removeAll(before);
        assertTrue(left.isEmpty(), "left in /dev/shm: " + left + "; output:\n" + local.output());
    }

    private static void assertAllGone(final List<ProcessHandle> tree, final long seconds) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (final ProcessHandle handle : tree)
        {
            while (handle.isAlive())
            {
                assertTrue(System.nanoTime() < deadline, "pid " + handle.pid() + " still alive after " + seconds + " s");
                Thread.sleep(20);
            }
        }
    }

    private static List<ProcessHandle> ranksOf(final CommandRun local, final int n) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<ProcessHandle> ranks = local.process().toHandle().children().toList();
        while (ranks.size() < n && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
            ranks = local.process().toHandle().children().toList();
        }
        assertEquals(n, ranks.size(), "rank processes");
        return ranks;
    }

    @Test
    void aKilledRankStopsTheOthersAndIsNamed() throws Exception
    {
        final List<String> before = myDriverDirectories();
        try (CommandRun local = CommandRun.start(dir, ENV, CommandRun.SLIPSTREAM.toString(), "local", "-n", "3",
            sleepJob().toString()))
        {
            local.awaitOutput("sleep: 3 ranks", 60);
            final List<ProcessHandle> tree = local.tree();
            final ProcessHandle victim = ProcessHandle.of(pidOfRank(local, 2)).orElseThrow();
            victim.destroyForcibly();
            assertFalse(Files.exists(Path.of(System.getProperty("java.io.tmpdir"),
                "hsperfdata_" + System.getProperty("user.name"), Long.toString(victim.pid()))),
                "a killed rank leaves no perf data file");
            final int status = local.waitFor(90);
            assertEquals(137, status, local.output());
            assertTrue(local.output().contains("rank 2 exited with status 137 (killed by SIGKILL)"), local.output());
            assertAllGone(tree, 10);
            assertNoNewDriverDirectory(before, local);
        }
    }

    @Test
    void aStoppedRankIsBlamedAndTheOthersStopForItWithinTheDeadline() throws Exception
    {
        final List<String> before = myDriverDirectories();
        try (CommandRun local = CommandRun.start(dir, ENV, CommandRun.SLIPSTREAM.toString(), "local", "-n", "3",
            "--deadline", "8s", sleepJob().toString()))
        {
            local.awaitOutput("sleep: 3 ranks", 60);
            final List<ProcessHandle> tree = local.tree();
            final long victim = pidOfRank(local, 2);
            Thread.sleep(300);
            final long stoppedAt = System.nanoTime();
            new ProcessBuilder("kill", "-STOP", Long.toString(victim)).start().waitFor();
            final int status = local.waitFor(60);
            final String text = local.output();
            assertEquals(1, status, text);
            assertTrue(text.contains("rank 2 is stopped by a signal (SIGSTOP or a debugger); the other ranks stopped " +
                "because of it"), text);
            assertTrue(text.contains("exited with status 4 (stopped because another rank failed))"), text);
            assertTrue(text.contains("[rank 0] slipstream: ") && text.contains("rank 2 was lost (it sent no heartbeat"),
                text);
            assertFalse(text.contains("rank 0 failed"), text);
            // Named within the deadline; then the launcher's grace period for the stopped rank, which only dies to
            // SIGKILL.
            final long seconds = (System.nanoTime() - stoppedAt) / 1_000_000_000L;
            assertTrue(seconds < 8 + 5, "took " + seconds + " s");
            assertAllGone(tree, 10);
            assertNoNewDriverDirectory(before, local);
        }
    }

    @Test
    void aRankThatWorksPastTheDeadlineIsWaitedForAndSaidToBeWorking() throws Exception
    {
        final Path job = dir.resolve("work.yaml");
        Files.writeString(job, "name: w\nworkload:\n  kind: sleep\n  seconds: 120\n  step_ms: 50\n  fail:\n" +
            "    rank: 1\n    after_rounds: 3\n    how: hang\n");
        try (CommandRun local = CommandRun.start(dir, ENV, CommandRun.SLIPSTREAM.toString(), "local", "-n", "2",
            "--deadline", "5s", "--verbose", job.toString()))
        {
            local.awaitOutput("injected failure (hang)", 60);
            // Rank 1 stays out of the collectives (alive, its heartbeats go on) for 2.5 deadlines.
            Thread.sleep(12_500);
            assertTrue(local.process().isAlive(), local.output());
            assertEquals(2, ranksOf(local, 2).size(), "no rank gave up");
            assertTrue(local.output().contains("waits for work to finish (not a failure): rank 1 is working"),
                local.output());
            assertFalse(local.output().contains("no progress for"), local.output());
            new ProcessBuilder("kill", "-TERM", Long.toString(local.process().pid())).start().waitFor();
            local.waitFor(60);
        }
    }

    @Test
    void ctrlCStopsEveryRankCleanly() throws Exception
    {
        final List<String> before = myDriverDirectories();
        try (CommandRun local = CommandRun.start(dir, ENV, CommandRun.SLIPSTREAM.toString(), "local", "-n", "2",
            sleepJob().toString()))
        {
            local.awaitOutput("sleep: 2 ranks", 60);
            final List<ProcessHandle> tree = local.tree();
            assertSecretOnlyInTheEnvironment(ranksOf(local, 2), local);
            // Past the first step boundary, the ranks poll their stop flag and so can checkpoint.
            Thread.sleep(500);
            new ProcessBuilder("kill", "-INT", Long.toString(local.process().pid())).start().waitFor();
            assertEquals(130, local.waitFor(60), local.output());
            assertTrue(local.output().contains("sleep: stop requested; checkpoint at step"), local.output());
            assertAllGone(tree, 10);
            assertNoNewDriverDirectory(before, local);
        }
    }

    @Test
    void sigtermStopsEveryRankCleanly() throws Exception
    {
        final List<String> before = myDriverDirectories();
        try (CommandRun local = CommandRun.start(dir, ENV, CommandRun.SLIPSTREAM.toString(), "local", "-n", "2",
            sleepJob().toString()))
        {
            local.awaitOutput("sleep: 2 ranks", 60);
            final List<ProcessHandle> tree = local.tree();
            Thread.sleep(500);
            // Not Process.destroy(): it also closes our end of the output pipe, and the rest would be lost.
            new ProcessBuilder("kill", "-TERM", Long.toString(local.process().pid())).start().waitFor();
            assertEquals(143, local.waitFor(60), local.output());
            assertTrue(local.output().contains("stopping all ranks (signal 15)"), local.output());
            assertAllGone(tree, 10);
            assertNoNewDriverDirectory(before, local);
        }
    }

    @Test
    void sigusr1ToTheLauncherCheckpointsEveryRankAndGivesThree() throws Exception
    {
        final List<String> before = myDriverDirectories();
        try (CommandRun local = CommandRun.start(dir, ENV, CommandRun.SLIPSTREAM.toString(), "local", "-n", "2",
            "--verbose", sleepJob().toString()))
        {
            local.awaitOutput("sleep: 2 ranks", 60);
            final List<ProcessHandle> tree = local.tree();
            // Past the first step boundary, the ranks poll their stop flag and so can checkpoint.
            Thread.sleep(500);
            new ProcessBuilder("kill", "-USR1", Long.toString(local.process().pid())).start().waitFor();
            assertEquals(3, local.waitFor(60), local.output());
            final String text = local.output();
            assertTrue(text.contains("[rank 0] sleep: stop requested; checkpoint at step"), text);
            assertTrue(text.contains("[rank 1] SIGUSR1: will checkpoint at the next step boundary"), text);
            assertTrue(text.contains("[rank 1] slipstream: rank 1: the job ended with status 3"), text);
            assertTrue(text.contains("all ranks checkpointed and stopped (status 3)"), text);
            assertFalse(text.contains("failed"), text);
            assertAllGone(tree, 10);
            assertNoNewDriverDirectory(before, local);
        }
    }

    @Test
    void ranksEndThemselvesWhenTheLauncherIsKilled() throws Exception
    {
        final List<String> before = myDriverDirectories();
        try (CommandRun local = CommandRun.start(dir, ENV, CommandRun.SLIPSTREAM.toString(), "local", "-n", "2",
            sleepJob().toString()))
        {
            local.awaitOutput("sleep: 2 ranks", 60);
            final List<ProcessHandle> ranks = ranksOf(local, 2);
            local.process().destroyForcibly();
            assertAllGone(ranks, 15);
            assertNoNewDriverDirectory(before, local);
        }
    }

    @Test
    void overridesReachEveryRankAndTheEffectiveSpecIsSaved() throws Exception
    {
        final Path job = dir.resolve("set.yaml");
        Files.writeString(job, "name: s\nworkload:\n  kind: smoke\n  rounds: 2\n  elements: 16\n");
        final Path runDir = dir.resolve("runs/set");
        // Rank 1 fails at round 3 only if it runs the overridden spec (5 rounds), which rank 0 saves.
        try (CommandRun local = CommandRun.run(dir, ENV, 90, CommandRun.SLIPSTREAM.toString(), "local", "-n", "2",
            "--run-dir", runDir.toString(), "--set", "workload.rounds=5", "--set",
            "workload.fail={rank: 1, after_rounds: 3, exit_code: 6}", job.toString()))
        {
            assertEquals(6, local.process().exitValue(), local.output());
            assertTrue(local.output().contains("[rank 1] rank 1: injected failure (exit) at round 3"), local.output());
        }
        final String effective = Files.readString(runDir.resolve("spec.effective.yaml"));
        assertTrue(effective.contains("rounds: 5") && effective.contains("after_rounds: 3"), effective);
    }

    @Test
    void anInjectedFailureIsTheLaunchersStatus() throws Exception
    {
        final Path job = dir.resolve("fail.yaml");
        Files.writeString(job, "name: f\nworkload:\n  kind: smoke\n  rounds: 5\n  fail:\n    rank: 1\n" +
            "    after_rounds: 2\n    exit_code: 7\n");
        try (CommandRun local = CommandRun.run(dir, ENV, 90, CommandRun.SLIPSTREAM.toString(), "local", "-n", "2",
            job.toString()))
        {
            assertEquals(7, local.process().exitValue(), local.output());
            assertTrue(local.output().contains("rank 1 exited with status 7"), local.output());
            assertTrue(local.output().contains("[rank 1] rank 1: injected failure (exit) at round 2"), local.output());
        }
    }

    @Test
    void benchWithTheMpiPeerPrintsBothTables() throws Exception
    {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/mpirun")) &&
            Files.isExecutable(Path.of("/usr/bin/mpicc")), "OpenMPI is not installed (jmh/peers/install-peers.sh)");
        try (CommandRun bench = CommandRun.run(dir, Map.of(), 150, CommandRun.SLIPSTREAM.toString(), "bench",
            "allreduce", "-n", "2", "--peer", "mpi", "--sizes", "8:4K", "--iterations", "5", "--warmup", "1"))
        {
            assertEquals(0, bench.process().exitValue(), bench.output());
            assertTrue(bench.output().contains("[rank 0] # slipstream allreduce: 2 ranks, FLOAT32 SUM"), bench.output());
            assertTrue(bench.output().contains("# mpi allreduce: 2 ranks, FLOAT32 SUM"), bench.output());
            assertTrue(bench.output().lines().anyMatch(line -> line.matches("\\s+4096\\s+1024\\s.*\\s0")),
                bench.output());
        }
    }

    /** A rank's pid from its environment-free identity: the children are in start order, rank 0 first. */
    private static long pidOfRank(final CommandRun local, final int rank) throws InterruptedException
    {
        final List<ProcessHandle> ranks = new ArrayList<>(ranksOf(local, 3));
        ranks.sort((a, b) -> a.info().startInstant().orElseThrow().compareTo(b.info().startInstant().orElseThrow()));
        return ranks.get(rank).pid();
    }
}
