package io.slipstream.launcher.local;

import io.slipstream.launcher.topology.HostIdentity;
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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code slipstream local} with real rank JVMs: a rank killed, Ctrl-C, the launcher itself killed. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LocalRanksIT
{
    /** How comm names this machine's driver directories (the host id, sanitised). */
    private static final String MY_DRIVER_SUFFIX =
        HostIdentity.machineId().replaceAll("[^A-Za-z0-9_.-]", "_");

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
        try (CommandRun local = CommandRun.start(dir, Map.of(), CommandRun.SLIPSTREAM.toString(), "local", "-n", "3",
            sleepJob().toString()))
        {
            local.awaitOutput("sleep: 3 ranks", 60);
            final List<ProcessHandle> tree = local.tree();
            final ProcessHandle victim = ProcessHandle.of(pidOfRank(local, 2)).orElseThrow();
            victim.destroyForcibly();
            final int status = local.waitFor(90);
            assertEquals(137, status, local.output());
            assertTrue(local.output().contains("rank 2 exited with status 137 (killed by SIGKILL)"), local.output());
            assertAllGone(tree, 10);
            assertNoNewDriverDirectory(before, local);
        }
    }

    @Test
    void ctrlCStopsEveryRankCleanly() throws Exception
    {
        final List<String> before = myDriverDirectories();
        try (CommandRun local = CommandRun.start(dir, Map.of(), CommandRun.SLIPSTREAM.toString(), "local", "-n", "2",
            sleepJob().toString()))
        {
            local.awaitOutput("sleep: 2 ranks", 60);
            final List<ProcessHandle> tree = local.tree();
            new ProcessBuilder("kill", "-INT", Long.toString(local.process().pid())).start().waitFor();
            assertEquals(130, local.waitFor(60), local.output());
            assertTrue(local.output().contains("stop requested; all ranks stop"), local.output());
            assertAllGone(tree, 10);
            assertNoNewDriverDirectory(before, local);
        }
    }

    @Test
    void ranksEndThemselvesWhenTheLauncherIsKilled() throws Exception
    {
        final List<String> before = myDriverDirectories();
        try (CommandRun local = CommandRun.start(dir, Map.of(), CommandRun.SLIPSTREAM.toString(), "local", "-n", "2",
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
    void anInjectedFailureIsTheLaunchersStatus() throws Exception
    {
        final Path job = dir.resolve("fail.yaml");
        Files.writeString(job, "name: f\nworkload:\n  kind: smoke\n  rounds: 5\n  fail:\n    rank: 1\n" +
            "    after_rounds: 2\n    exit_code: 7\n");
        try (CommandRun local = CommandRun.run(dir, Map.of(), 90, CommandRun.SLIPSTREAM.toString(), "local", "-n", "2",
            job.toString()))
        {
            assertEquals(7, local.process().exitValue(), local.output());
            assertTrue(local.output().contains("rank 1 exited with status 7"), local.output());
            assertTrue(local.output().contains("[rank 1] rank 1: injected failure (exit) at round 2"), local.output());
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
