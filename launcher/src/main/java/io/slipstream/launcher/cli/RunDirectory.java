package io.slipstream.launcher.cli;

import io.slipstream.launcher.topology.Topology;
import io.slipstream.launcher.topology.TopologySource;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;

/**
 * Where a run writes its files, created owner-only (0700). The default is {@code runs/<job name>-<stamp>}:
 * under a scheduler the stamp is the job id, so all ranks agree on it without talking and a requeued
 * job finds its own checkpoints again; on its own a run uses a UTC timestamp.
 */
final class RunDirectory
{
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final DateTimeFormatter STAMP =
        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private RunDirectory()
    {
    }

    static Path defaultFor(final String jobName, final Topology topology, final Instant now)
    {
        final String stamp = topology.source() == TopologySource.SINGLE ? timestamp(now) : topology.jobId();
        return Path.of("runs", jobName + "-" + stamp);
    }

    static String timestamp(final Instant now)
    {
        return STAMP.format(now);
    }

    /** Creates {@code dir} (and its parents) owner-only; an existing directory of ours is fine. */
    static Path create(final Path dir)
    {
        final Path absolute = dir.toAbsolutePath().normalize();
        try
        {
            if (absolute.getParent() != null)
            {
                Files.createDirectories(absolute.getParent());
            }
            try
            {
                Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                Files.setPosixFilePermissions(absolute, OWNER_ONLY);
            }
            catch (final FileAlreadyExistsException ex)
            {
                if (!Files.isDirectory(absolute))
                {
                    throw new UsageException("run directory " + absolute + " exists and is not a directory; " +
                        "pass another --run-dir");
                }
            }
            if (!Files.isWritable(absolute))
            {
                throw new UsageException("run directory " + absolute + " is not writable; pass another --run-dir");
            }
            return absolute;
        }
        catch (final IOException ex)
        {
            throw new UsageException("cannot create run directory " + absolute + " (" + ex.getMessage() +
                "); pass another --run-dir");
        }
    }
}
