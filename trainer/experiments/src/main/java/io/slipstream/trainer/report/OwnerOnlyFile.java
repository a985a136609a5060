package io.slipstream.trainer.report;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes an output file readable by its owner only (0600, as run directories and checkpoints are), atomically:
 * the bytes go to a temporary file beside the target, are forced to disk, then renamed over the target and the
 * directory is forced too, so a reader never sees a partial file and an interrupted write leaves the previous file
 * (or none).
 */
public final class OwnerOnlyFile
{
    /** Owner read and write, nothing for group or others. */
    public static final Set<PosixFilePermission> PERMISSIONS = PosixFilePermissions.fromString("rw-------");

    private OwnerOnlyFile()
    {
    }

    /** The body of a file, written to the stream it is given; closing that stream only flushes it. */
    @FunctionalInterface
    public interface Body
    {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes {@code file} 0600 and atomically; returns {@code file}. */
    public static Path write(final Path file, final Body body) throws IOException
    {
        final Path dir = file.toAbsolutePath().getParent();
        final Path temp = posix(dir) ?
            Files.createTempFile(dir, "." + file.getFileName(), ".tmp", attribute()) :
            Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try
        {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE))
            {
                final OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel));
                body.writeTo(new FilterOutputStream(out)
                {
                    @Override
                    public void write(final byte[] bytes, final int offset, final int length) throws IOException
                    {
                        out.write(bytes, offset, length);
                    }

                    @Override
                    public void close() throws IOException
                    {
                        out.flush();
                    }
                });
                out.flush();
                channel.force(true);
            }
            try
            {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(dir);
        }
        finally
        {
            Files.deleteIfExists(temp);
        }
        return file;
    }

    /** Creates {@code file} 0600 if absent and takes group and other access away if it exists. */
    public static void restrict(final Path file) throws IOException
    {
        if (posix(file.toAbsolutePath().getParent()))
        {
            if (Files.notExists(file))
            {
                try
                {
                    Files.createFile(file, attribute());
                }
                catch (final FileAlreadyExistsException ignore)
                {
                    // Created between the check and the call: the permissions are set below.
                }
            }
            Files.setPosixFilePermissions(file, PERMISSIONS);
        }
    }

    /** Makes the rename itself durable: without this a crash can leave the old file (or none) after a write. */
    private static void syncDirectory(final Path dir) throws IOException
    {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ))
        {
            channel.force(true);
        }
    }

    private static boolean posix(final Path dir) throws IOException
    {
        return Files.getFileStore(dir).supportsFileAttributeView("posix");
    }

    private static FileAttribute<Set<PosixFilePermission>> attribute()
    {
        return PosixFilePermissions.asFileAttribute(PERMISSIONS);
    }
}
