package io.slipstream.trainer.tasks;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link TaskJournal} in one file, rewritten whole after each wave (temporary file, fsync, atomic rename)
 * so a crash leaves the previous version. Format (big-endian): magic {@code SSTJ}, {@code int version}
 * (1), {@code long fingerprint} of the job the results belong to, {@code int count}, then per result
 * {@code int taskId, int length, length bytes}. A file with another fingerprint belongs to another job and
 * is ignored (and replaced at the first wave).
 */
public final class FileTaskJournal implements TaskJournal
{
    private static final int MAGIC = 0x5353544A;
    private static final int VERSION = 1;

    private final Path file;
    private final long fingerprint;
    private final Map<Integer, byte[]> kept = new TreeMap<>();

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
        kept.clear();
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file)))
        {
            if (in.readInt() != MAGIC || in.readInt() != VERSION || in.readLong() != fingerprint)
            {
                return Map.of();
            }
            final byte[] rest = in.readAllBytes();
            kept.putAll(WaveScheduler.decodeResults(rest));
            return Map.copyOf(kept);
        }
        catch (final NoSuchFileException ex)
        {
            return Map.of();
        }
        catch (final IOException | UncheckedIOException ex)
        {
            kept.clear();
            return Map.of();
        }
    }

    @Override
    public void record(final Map<Integer, byte[]> results)
    {
        if (results.isEmpty())
        {
            return;
        }
        kept.putAll(results);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(fingerprint);
            out.write(WaveScheduler.encodeResults(kept));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try
        {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING))
            {
                final ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray());
                while (buffer.hasRemaining())
                {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write the task journal " + file + ": " + ex.getMessage() +
                "; check the run directory's space and permissions", ex);
        }
    }

    /** Removes the journal once the job is complete. */
    public void delete() throws IOException
    {
        Files.deleteIfExists(file);
    }
}
