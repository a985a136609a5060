package io.slipstream.launcher.fault;

import io.slipstream.launcher.local.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 7's "restart after a crash": {@code local} and both ranks are SIGKILLed together mid-training, which
 * leaves the media driver's directory (its cnc.dat "lock": a driver that no longer beats) in /dev/shm and, as a
 * kill inside a checkpoint write would, half-written checkpoint temporaries. The next run in the same run
 * directory starts, resumes and finishes; afterwards neither run's driver directory nor any temporary is left.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RestartAfterCrashIT
{
    /** comm's sweep removes a dead driver's directory once it is 30 s old and its heartbeat 10 s silent. */
    private static final long HEARTBEAT_SILENCE_MS = 11_000;
    private static final long CRASH_AGE_SECONDS = 120;

    @TempDir
    Path dir;

    @Test
    void staleDriverDirectoriesAndHalfWrittenCheckpointsDoNotStopTheNextRun() throws Exception
    {
        final FaultJob job = FaultJob.write(dir);
        final Path runDir = dir.resolve("run");
        final String stale;
        try (CommandRun local = job.start(runDir))
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (FaultJob.checkpoints(runDir).isEmpty())
            {
                assertTrue(System.nanoTime() - deadline < 0 && local.process().isAlive(), local.output());
                Thread.sleep(20);
            }
            final List<ProcessHandle> tree = local.tree();
            tree.forEach(ProcessHandle::destroyForcibly);
            assertEquals(List.of(), FaultJob.survivors(tree, 15), "every process of the killed run ended");
            final String jobId = FaultJob.jobIdOf(local.output());
            assertTrue(jobId != null, local.output());
            stale = FaultJob.driverDirectory(jobId);
        }
        final long killedAt = System.currentTimeMillis();
        assertTrue(Files.isDirectory(Path.of("/dev/shm", stale)),
            "the killed driver left its directory " + stale + " in /dev/shm (the state under test)");
        final List<Path> planted = plantHalfWrittenCheckpoints(runDir);
        age(Path.of("/dev/shm", stale), CRASH_AGE_SECONDS);
        Thread.sleep(Math.max(0, killedAt + HEARTBEAT_SILENCE_MS - System.currentTimeMillis()));
        try
        {
            try (CommandRun next = job.start(runDir))
            {
                final int status = next.waitFor(FaultJob.RUN_SECONDS);
                assertEquals(0, status, next.output());
                assertTrue(next.output().contains("test: accuracy="), next.output());
                assertTrue(FaultJob.awaitGone(stale, 10), "the next start swept the dead driver's directory " + stale);
                final String own = FaultJob.driverDirectory(FaultJob.jobIdOf(next.output()));
                assertTrue(FaultJob.awaitGone(own, 10), "the next run removed its own driver directory " + own);
            }
            for (final Path temp : planted)
            {
                assertFalse(Files.exists(temp), temp + " was removed by the next run");
            }
            assertEquals(List.of(), FaultJob.temporaries(runDir));
            assertEquals(List.of(), FaultJob.corrupt(FaultJob.checkpoints(runDir)));
        }
        finally
        {
            FaultJob.removeDriverDirectory(stale);
        }
    }

    /** In each fit directory: a truncated copy of its newest checkpoint and a garbage file, both as temporaries. */
    private static List<Path> plantHalfWrittenCheckpoints(final Path runDir) throws IOException
    {
        final List<Path> planted = new ArrayList<>();
        try (DirectoryStream<Path> fits = Files.newDirectoryStream(runDir.resolve("checkpoints")))
        {
            for (final Path fit : fits)
            {
                final List<Path> checkpoints = FaultJob.checkpoints(runDir).stream()
                    .filter((p) -> p.getParent().equals(fit)).sorted().toList();
                if (!checkpoints.isEmpty())
                {
                    final byte[] newest = Files.readAllBytes(checkpoints.get(checkpoints.size() - 1));
                    final Path half = fit.resolve("checkpoint-999999999998.ckpt.tmp");
                    Files.write(half, java.util.Arrays.copyOf(newest, newest.length / 2));
                    planted.add(half);
                }
                final Path garbage = fit.resolve("checkpoint-999999999999.ckpt.tmp");
                Files.write(garbage, new byte[]{1, 2, 3});
                planted.add(garbage);
            }
        }
        return planted;
    }

    /** Sets the modification time of {@code root} and everything under it to {@code seconds} ago. */
    private static void age(final Path root, final long seconds) throws IOException
    {
        final FileTime then = FileTime.fromMillis(System.currentTimeMillis() - TimeUnit.SECONDS.toMillis(seconds));
        try (Stream<Path> all = Files.walk(root))
        {
            for (final Path p : all.toList())
            {
                Files.setLastModifiedTime(p, then);
            }
        }
    }
}
