package io.slipstream.launcher.fault;

import io.slipstream.launcher.local.CommandRun;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 7's "disk full or unwritable checkpoint directory during a checkpoint": the run's checkpoint directory
 * is a small tmpfs of its own; once training has written a checkpoint the test fills it (ENOSPC) or remounts it
 * read-only (EROFS). The checkpoints already written stay intact, rank 0 says in one line what failed and what
 * to do, and the job goes on or stops as {@code checkpoint.on_failure} says. Mounting needs root (or
 * CAP_SYS_ADMIN); where that is missing the tests are skipped, saying why.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CheckpointDirFaultIT
{
    @TempDir
    Path dir;

    /** A 512 KiB tmpfs on {@code runDir/checkpoints}, owner-only; skips the test where mounting is not allowed. */
    private static Path mountSmallDisk(final Path runDir) throws IOException, InterruptedException
    {
        final Path mount = Files.createDirectories(runDir.resolve("checkpoints"));
        final Process process = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=512k,mode=0700", "tmpfs",
            mount.toString()).redirectErrorStream(true).start();
        final boolean done = process.waitFor(20, TimeUnit.SECONDS);
        final String why = new String(process.getInputStream().readAllBytes());
        Assumptions.assumeTrue(done && process.exitValue() == 0,
            "cannot mount a tmpfs for the checkpoint directory (needs root or CAP_SYS_ADMIN): " + why);
        return mount;
    }

    private static void unmount(final Path mount) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start();
        assertTrue(process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0, "unmounted " + mount);
    }

    private static void remount(final Path mount, final String mode) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder("mount", "-o", "remount," + mode, mount.toString()).inheritIO()
            .start();
        assertTrue(process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0, "remounted " + mode);
    }

    /** Waits until the job has written its first checkpoint. */
    private static void awaitCheckpoint(final CommandRun local, final Path runDir) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (FaultJob.checkpoints(runDir).isEmpty())
        {
            assertTrue(System.nanoTime() - deadline < 0 && local.process().isAlive(),
                "no checkpoint written; output:\n" + local.output());
            Thread.sleep(20);
        }
    }

    /** Writes into {@code filler} until the disk is full; returns the bytes written. */
    private static long fill(final Path filler)
    {
        final byte[] block = new byte[4096];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(filler, StandardOpenOption.CREATE, StandardOpenOption.APPEND))
        {
            while (true)
            {
                out.write(block);
                out.flush();
                written += block.length;
            }
        }
        catch (final IOException full)
        {
            return written;
        }
    }

    private static void assertCheckpointsIntact(final Path runDir, final String output) throws IOException
    {
        final List<Path> checkpoints = FaultJob.checkpoints(runDir);
        assertTrue(!checkpoints.isEmpty(), "the checkpoint written before the fault is still there:\n" + output);
        assertEquals(List.of(), FaultJob.corrupt(checkpoints), output);
        assertEquals(List.of(), FaultJob.temporaries(runDir), "a failed write leaves no temporary file");
    }

    @Test
    void aFullDiskKeepsThePreviousCheckpointAndTrainingGoesOnWhenConfigured() throws Exception
    {
        final FaultJob job = FaultJob.write(dir, "every_steps: 5, keep: 2, on_failure: continue");
        final Path runDir = dir.resolve("run");
        final Path mount = mountSmallDisk(runDir);
        try
        {
            try (CommandRun local = job.start(runDir))
            {
                awaitCheckpoint(local, runDir);
                final Path filler = mount.resolve("filler");
                assertTrue(fill(filler) > 0, "the disk had room before");
                // Keep it full: a write that raced the filler may prune an older file and free its blocks.
                while (local.process().isAlive())
                {
                    fill(filler);
                    Thread.sleep(20);
                }
                final int status = local.waitFor(FaultJob.RUN_SECONDS);
                final String output = local.output();
                assertEquals(0, status, output);
                assertTrue(output.contains("No space left on device") && output.contains("stays valid") &&
                    output.contains("Free disk space or point checkpoint.dir at a writable directory") &&
                    output.contains("(checkpoint.on_failure: continue, training goes on)"), output);
                assertTrue(output.contains("test: accuracy="), "the job finished its work:\n" + output);
                assertCheckpointsIntact(runDir, output);
            }
        }
        finally
        {
            unmount(mount);
        }
    }

    @Test
    void anUnwritableDirectoryStopsTheRunWhenConfiguredAndItResumesOnceWritable() throws Exception
    {
        final FaultJob job = FaultJob.write(dir, "every_steps: 5, keep: 2, on_failure: stop");
        final Path runDir = dir.resolve("run");
        final Path mount = mountSmallDisk(runDir);
        try
        {
            try (CommandRun local = job.start(runDir))
            {
                awaitCheckpoint(local, runDir);
                remount(mount, "ro");
                final int status = local.waitFor(FaultJob.RUN_SECONDS);
                final String output = local.output();
                assertNotEquals(0, status, output);
                assertTrue(output.contains("Read-only file system") && output.contains("stays valid") &&
                    output.contains("(checkpoint.on_failure: stop, stopping)"), output);
                assertTrue(!output.contains("test: accuracy="), "the job stopped before its end:\n" + output);
                assertCheckpointsIntact(runDir, output);
            }
            remount(mount, "rw");
            try (CommandRun resume = job.start(runDir))
            {
                assertEquals(0, resume.waitFor(FaultJob.RUN_SECONDS), resume.output());
                assertTrue(resume.output().contains("test: accuracy="), resume.output());
            }
        }
        finally
        {
            unmount(mount);
        }
    }
}
