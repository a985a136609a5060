package io.slipstream.launcher.corpus;

import io.slipstream.launcher.corpus.CaseRun.Outcome;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input and faults that need a process of their own, through {@link CaseRun}'s child JVMs: a FIFO as the data
 * path (must not block), a heap too small for the job (one line, not a stack trace), SIGTERM while a rank waits
 * for rank 0 (ends at once), and a run directory on a full disk (every rank names it; whole metrics lines).
 */
class ProcessFaultsIT
{
    private static final Duration LIMIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private Path forestSpec(final String dataPath) throws IOException
    {
        return Files.writeString(dir.resolve("job.yaml"), "name: fault-forest\n" +
            (dataPath == null ? "data: {source: iris}\n" :
                "data: {source: csv, path: '" + dataPath + "', label: species}\n") +
            "model: {family: random_forest}\nsearch: {strategy: grid, grid: {n_estimators: [3]}}\ncv: {folds: 2}\n" +
            "output: {report: false}\n");
    }

    private static void assertOneLine(final Outcome outcome, final int code, final String... expect)
    {
        assertEquals(List.of(), CaseRun.broken(outcome, code, List.of(expect)), outcome.describe());
    }

    @Test
    void aFifoAsTheDataPathIsRefusedWithoutBlocking() throws Exception
    {
        final Path fifo = dir.resolve("rows.csv");
        Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0,
            "mkfifo is not available here");
        final Path runDir = dir.resolve("run");
        final Outcome outcome = CaseRun.child(dir, Map.of(), List.of(), LIMIT, runDir.toString(), "run",
            forestSpec(fifo.toString()).toString(), "--run-dir", runDir.toString());
        assertOneLine(outcome, 2, "data.path", fifo.toString(), "not a regular file");
    }

    @Test
    void aHeapTooSmallForTheJobIsOneLineNamingTheHeapAndTheFix() throws Exception
    {
        final Path runDir = dir.resolve("run");
        final Outcome outcome = CaseRun.child(dir, Map.of(), List.of("-Xmx12m"), LIMIT, runDir.toString(), "run",
            forestSpec(null).toString(), "--run-dir", runDir.toString());
        assertOneLine(outcome, 1, "out of memory", "at most 12 MiB", "SLIPSTREAM_JAVA_OPTS=-Xmx");
    }

    @Test
    void sigtermEndsARankWhileItWaitsForRankZero() throws Exception
    {
        final Path runDir = dir.resolve("run");
        final Map<String, String> slurmRank1 = Map.of("SLURM_JOB_ID", "77", "SLURM_STEP_ID", "0", "SLURM_PROCID", "1",
            "SLURM_NTASKS", "2", "SLURM_LOCALID", "1", "SLURM_NODEID", "0", "SLURM_JOB_NODELIST", "node1",
            "SLURM_TASKS_PER_NODE", "2", "SLIPSTREAM_SECRET", "0123456789abcdef0123456789abcdef");
        final Set<String> shm = CaseRun.shmEntries();
        final Process rank = CaseRun.startChild(dir, slurmRank1, List.of(), "run", forestSpec(null).toString(),
            "--run-dir", runDir.toString(), "--deadline", "5m");
        // Rank 1 waits (up to the deadline) for rank 0 to publish its address in the run directory.
        final long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.isDirectory(runDir) && System.nanoTime() - waitUntil < 0)
        {
            Thread.sleep(20);
        }
        assertTrue(Files.isDirectory(runDir) && rank.isAlive(), "rank 1 did not start waiting");
        Thread.sleep(500);
        final long signalled = System.nanoTime();
        new ProcessBuilder("kill", "-TERM", Long.toString(rank.pid())).start().waitFor();
        final Outcome outcome = CaseRun.finish(rank, dir, Duration.ofSeconds(20), runDir.toString(), shm);
        final long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
        assertFalse(outcome.hung(), outcome.describe());
        assertEquals(143, outcome.code(), outcome.describe());
        assertTrue(tookMillis < 10_000, "SIGTERM took " + tookMillis + " ms");
        assertEquals(Set.of(), outcome.shmLeft());
        assertEquals(List.of(), outcome.processesLeft());
    }

    @Test
    void aRunDirectoryOnAFullDiskIsNamedByEveryRankAndMetricsStayWholeLines() throws Exception
    {
        final Path runDir = Files.createDirectories(dir.resolve("disk/run"));
        final Path disk = runDir.getParent();
        final Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs",
            disk.toString()).redirectErrorStream(true).start();
        final boolean mounted = mount.waitFor(20, TimeUnit.SECONDS) && mount.exitValue() == 0;
        Assumptions.assumeTrue(mounted, "cannot mount a 256 KiB tmpfs to make a full disk (needs root or " +
            "CAP_SYS_ADMIN): " + new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        try
        {
            fillLeaving(disk.resolve("filler"), 20 * 1024);
            final Path job = Files.writeString(dir.resolve("mlp.yaml"), "name: fault-full-disk\n" +
                "data: {source: iris}\nsplit: {test_fraction: 0.2, seed: 42}\n" +
                "model: {family: mlp, params: {hidden_layers: [4], epochs: 40, batch_size: 32}}\n" +
                "search: {strategy: manual}\ncv: {folds: 2}\nexecution: {mode: hybrid, group_size: 2}\n" +
                "training: {threads: 1, progress: lines}\ncheckpoint: {every_steps: 2, keep: 2}\n" +
                "output: {save_model: false, report: false}\n");
            final Outcome outcome = CaseRun.child(dir, Map.of(), List.of(), Duration.ofSeconds(180), dir.toString(),
                "local", "-n", "2", "--verbose", job.toString(), "--run-dir", runDir.toString());
            final String all = outcome.out() + outcome.err();
            final String cause = "rank 0 failed: disk full: cannot append to " + runDir.resolve("metrics.jsonl");
            assertFalse(outcome.hung(), outcome.describe());
            assertEquals(1, outcome.code(), outcome.describe());
            assertTrue(all.contains("[rank 0] slipstream: " + cause), all);
            assertTrue(all.contains("[rank 1] slipstream: rank 1: " + cause), all);
            assertFalse(all.contains("collective mismatch"), all);
            final byte[] metrics = Files.readAllBytes(runDir.resolve("metrics.jsonl"));
            assertTrue(metrics.length > 0 && metrics[metrics.length - 1] == '\n', "metrics.jsonl ends mid-line");
            for (final String line : new String(metrics, StandardCharsets.UTF_8).split("\n"))
            {
                assertTrue(line.startsWith("{\"fit\":{") && line.contains("\"epoch\":") && line.endsWith("}"),
                    "a cut line: " + line);
            }
            assertEquals(Set.of(), outcome.shmLeft());
            assertEquals(List.of(), outcome.processesLeft());
        }
        finally
        {
            new ProcessBuilder("umount", "-l", disk.toString()).inheritIO().start().waitFor(20, TimeUnit.SECONDS);
        }
    }

    /** Fills the file system of {@code filler} until only about {@code leave} bytes are free. */
    private static void fillLeaving(final Path filler, final long leave) throws IOException
    {
        final byte[] block = new byte[1024];
        try (OutputStream out = Files.newOutputStream(filler, StandardOpenOption.CREATE, StandardOpenOption.APPEND))
        {
            while (Files.getFileStore(filler).getUsableSpace() > leave)
            {
                out.write(block);
                out.flush();
            }
        }
    }
}
