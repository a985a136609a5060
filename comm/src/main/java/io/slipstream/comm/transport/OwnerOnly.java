package io.slipstream.comm.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Restricts what a job keeps in shared memory to its owner: directories 0700, files 0600, because the Aeron
 * directory holds the job's data in its log buffers. A file system without POSIX permissions is left as it is.
 */
final class OwnerOnly
{
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private OwnerOnly()
    {
    }

    /** Sets {@code path} owner-only, and with {@code recursive} everything under it. */
    static void restrict(final Path path, final boolean recursive)
    {
        if (!POSIX || !Files.exists(path))
        {
            return;
        }
        try
        {
            if (recursive && Files.isDirectory(path))
            {
                try (Stream<Path> tree = Files.walk(path))
                {
                    for (final Path p : (Iterable<Path>)tree::iterator)
                    {
                        set(p);
                    }
                }
            }
            else
            {
                set(path);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot make " + path + " owner-only: " + ex.getMessage(), ex);
        }
    }

    private static void set(final Path path) throws IOException
    {
        try
        {
            Files.setPosixFilePermissions(path, Files.isDirectory(path) ? DIRECTORY : FILE);
        }
        catch (final java.nio.file.NoSuchFileException gone)
        {
            // Removed while we walked (a log the driver just freed): nothing left to protect.
        }
    }
}
