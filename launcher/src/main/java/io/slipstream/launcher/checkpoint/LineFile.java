package io.slipstream.launcher.checkpoint;

import io.slipstream.trainer.report.OwnerOnlyFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An owner-only file of lines that only grows by whole lines ({@code metrics.jsonl}): each line goes to the end
 * in one write, and a write that fails part-way (the disk filled up) is cut back to where the line began, so a
 * reader never finds half a line. The failure is a {@link RunOutputException} that names the cause first
 * ("disk full") and the path; the file then stays usable for a later append.
 */
public final class LineFile implements AutoCloseable
{
    private final Path file;
    private final FileChannel channel;

    private LineFile(final Path file, final FileChannel channel)
    {
        this.file = file;
        this.channel = channel;
    }

    /** Opens {@code file} for appending, creating it owner-only (0600). */
    public static LineFile open(final Path file)
    {
        try
        {
            OwnerOnlyFile.restrict(file);
            return new LineFile(file, FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
        }
        catch (final IOException ex)
        {
            throw failure("cannot open", file, ex);
        }
    }

    /** Appends {@code line} and a newline, whole or not at all. */
    public void append(final String line)
    {
        final ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        long start = -1;
        try
        {
            start = channel.size();
            while (bytes.hasRemaining())
            {
                channel.write(bytes);
            }
        }
        catch (final IOException ex)
        {
            cutBack(start);
            throw failure("cannot append to", file, ex);
        }
    }

    private void cutBack(final long length)
    {
        if (length < 0)
        {
            return;
        }
        try
        {
            // Shrinking needs no space, so this works on a full disk too.
            channel.truncate(length);
        }
        catch (final IOException ignored)
        {
            // The append's own failure is what the caller reports; a file that cannot shrink keeps its tail.
        }
    }

    @Override
    public void close()
    {
        try
        {
            channel.close();
        }
        catch (final IOException ex)
        {
            throw failure("cannot close", file, ex);
        }
    }

    /** One line for a failed write of {@code file}: the cause first when it is a known one, then the fix. */
    static RunOutputException failure(final String what, final Path file, final IOException ex)
    {
        final String message = String.valueOf(ex.getMessage());
        final String cause;
        if (message.contains("No space left on device"))
        {
            cause = "disk full: ";
        }
        else if (message.contains("Disk quota exceeded"))
        {
            cause = "disk quota exceeded: ";
        }
        else if (message.contains("Read-only file system"))
        {
            cause = "read-only file system: ";
        }
        else
        {
            cause = "";
        }
        return new RunOutputException(cause + what + " " + file.toAbsolutePath() + " (" + message + "); free space " +
            "there or pass another --run-dir, then run the job again", ex);
    }
}
