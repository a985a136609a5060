package io.slipstream.launcher.signal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlurmRequeueTest
{
    @TempDir
    Path dir;

    private Path fakeScontrol(final int exitStatus) throws IOException
    {
        final Path script = dir.resolve("scontrol");
        Files.writeString(script, "#!/bin/sh\necho \"$@\" > " + dir.resolve("args") + "\necho 'nope' \nexit " +
            exitStatus + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @Test
    void rankZeroRequeuesItsOwnJob() throws IOException
    {
        final Path scontrol = fakeScontrol(0);
        final SlurmRequeue requeue = SlurmRequeue.fromEnvironment(
            Map.of("SLURM_JOB_ID", "77", "SLIPSTREAM_SCONTROL", scontrol.toString()), 0, true);
        assertTrue(requeue.applies());
        final ByteArrayOutputStream log = new ByteArrayOutputStream();
        assertTrue(requeue.requeue(new PrintStream(log, true)));
        assertEquals("requeue 77", Files.readString(dir.resolve("args")).trim());
        assertTrue(log.toString().contains("requeued SLURM job 77"));
    }

    @Test
    void onlyRankZeroUnderSlurmWhenAsked()
    {
        assertFalse(SlurmRequeue.fromEnvironment(Map.of("SLURM_JOB_ID", "77"), 1, true).applies());
        assertFalse(SlurmRequeue.fromEnvironment(Map.of("SLURM_JOB_ID", "77"), 0, false).applies());
        assertFalse(SlurmRequeue.fromEnvironment(Map.of(), 0, true).applies());
        assertFalse(SlurmRequeue.fromEnvironment(Map.of(), 0, true).requeue(System.out));
    }

    @Test
    void aRefusedRequeueIsLoggedWithTheWayOut() throws IOException
    {
        final Path scontrol = fakeScontrol(1);
        final ByteArrayOutputStream log = new ByteArrayOutputStream();
        assertFalse(SlurmRequeue.fromEnvironment(
            Map.of("SLURM_JOB_ID", "78", "SLIPSTREAM_SCONTROL", scontrol.toString()), 0, true)
            .requeue(new PrintStream(log, true)));
        assertTrue(log.toString().contains("--requeue"), log.toString());
    }
}
