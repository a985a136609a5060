package io.slipstream.launcher.experiment;

import io.slipstream.comm.OneLineLog;
import io.slipstream.trainer.report.OwnerOnlyFile;
import io.slipstream.trainer.tasks.TaskJournal;
import io.slipstream.trainer.tasks.WaveScheduler;

import java.lang.System.Logger.Level;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * A {@link TaskJournal} in one append-only file, so each wave costs one small write and an fsync whatever
 * the journal's size. Format (big-endian): a header of magic {@code SSTJ}, {@code int version} (1) and
 * {@code long fingerprint} of the job the results belong to; then one block per wave: {@code int length},
 * {@code length} bytes of results ({@code int count}, then per result {@code int taskId, int size, size
 * bytes}), {@code long crc32} of those bytes. Restoring stops at the first incomplete or corrupt block (a
 * crash mid-write) and later appends replace it. A file with another fingerprint belongs to another job:
 * it is ignored and started afresh at the first wave. Call {@link #restore} before {@link #record} (the
 * scheduler does), so appends know where the valid part ends. The file is owner-only (0600); a new journal's
 * header is written through {@link OwnerOnlyFile} (whole, fsynced, renamed in, directory fsynced), then each wave
 * is appended and fsynced: rewriting the file per wave would cost its whole size.
 */
public final class FileTaskJournal implements TaskJournal
{
    private static final int MAGIC = 0x5353544A;
    private static final int VERSION = 1;
    private static final int HEADER = 16;
    private static final int MAX_BLOCK = 1 << 30;
    private static final OneLineLog LOG = OneLineLog.of(FileTaskJournal.class);

    private final Path file;
    private final long fingerprint;
    private long validLength = -1;

    public FileTaskJournal(final Path file, final long fingerprint)
    {
        this.file = file;
        this.fingerprint = fingerprint;
    }

    public Path file()
    {
        return file;
    }

    @Override
    public Map<Integer, byte[]> restore()
    {
        final Map<Integer, byte[]> results = new TreeMap<>();
        validLength = -1;
        if (!Files.exists(file))
        {
            return results;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final ByteBuffer header = ByteBuffer.allocate(HEADER);
            if (readFully(channel, header) < HEADER || header.getInt(0) != MAGIC || header.getInt(4) != VERSION ||
                header.getLong(8) != fingerprint)
            {
                LOG.log(Level.WARNING, "task journal " + file +
                    (header.position() == HEADER && header.getInt(0) == MAGIC &&
                    header.getInt(4) == VERSION ? " belongs to another job" : " is damaged or not a task journal") +
                    ": not used; every task runs again and the journal is rewritten");
                return results;
            }
            long offset = HEADER;
            final ByteBuffer length = ByteBuffer.allocate(4);
            final ByteBuffer crc = ByteBuffer.allocate(8);
            while (true)
            {
                length.clear();
                if (readFully(channel, length) < 4)
                {
                    break;
                }
                final int size = length.getInt(0);
                if (size < 4 || size > MAX_BLOCK || offset + 12 + size > channel.size())
                {
                    break;
                }
                final ByteBuffer block = ByteBuffer.allocate(size);
                crc.clear();
                if (readFully(channel, block) < size || readFully(channel, crc) < 8 ||
                    crc.getLong(0) != checksum(block.array()))
                {
                    break;
                }
                results.putAll(WaveScheduler.decodeResults(block.array()));
                offset += 12 + size;
            }
            validLength = offset;
            if (offset < channel.size())
            {
                LOG.log(Level.WARNING, "task journal " + file + " is damaged at byte " + offset + " of " +
                    channel.size() +
                    " (a crash mid-write, or changed by hand): its " + results.size() + " results before that are " +
                    "used, the tasks after it run again");
            }
        }
        catch (final IOException | UncheckedIOException ex)
        {
            LOG.log(Level.WARNING, "task journal " + file + " cannot be read (" + ex.getMessage() +
                "): not used; every task " +
                "runs again");
            results.clear();
            validLength = -1;
        }
        return results;
    }

    @Override
    public void record(final Map<Integer, byte[]> results)
    {
        if (results.isEmpty())
        {
            return;
        }
        final byte[] block = WaveScheduler.encodeResults(results);
        final ByteBuffer out = ByteBuffer.allocate(4 + block.length + 8);
        out.putInt(block.length).put(block).putLong(checksum(block)).flip();
        if (validLength < 0)
        {
            // No usable journal yet (absent, another job's or unreadable): a new one, its header written whole.
            try
            {
                OwnerOnlyFile.write(file, (stream) -> stream.write(header()));
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot create the task journal " + file + " owner-only: " +
                    ex.getMessage() + "; check the run directory's space and permissions", ex);
            }
            validLength = HEADER;
        }
        else
        {
            try
            {
                OwnerOnlyFile.restrict(file);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot make the task journal " + file + " owner-only: " +
                    ex.getMessage() + "; check the run directory's permissions", ex);
            }
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.truncate(validLength);
            writeFully(channel, out, validLength);
            channel.force(false);
            validLength += out.capacity();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write the task journal " + file + ": " + ex.getMessage() +
                "; check the run directory's space and permissions", ex);
        }
    }

    private byte[] header()
    {
        return ByteBuffer.allocate(HEADER).putInt(MAGIC).putInt(VERSION).putLong(fingerprint).array();
    }

    /** Removes the journal once the job is complete. */
    public void delete() throws IOException
    {
        Files.deleteIfExists(file);
        validLength = -1;
    }

    private static long checksum(final byte[] bytes)
    {
        final CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    private static int readFully(final FileChannel channel, final ByteBuffer buffer) throws IOException
    {
        while (buffer.hasRemaining())
        {
            if (channel.read(buffer) < 0)
            {
                break;
            }
        }
        return buffer.position();
    }

    private static void writeFully(final FileChannel channel, final ByteBuffer buffer, final long position)
        throws IOException
    {
        long at = position;
        while (buffer.hasRemaining())
        {
            at += channel.write(buffer, at);
        }
    }
}
