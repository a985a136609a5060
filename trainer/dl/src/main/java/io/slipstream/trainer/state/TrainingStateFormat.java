package io.slipstream.trainer.state;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The checkpoint file format, version 1. Plain fields only: reading it never instantiates a class named
 * by the file (no Java serialisation). All integers are big-endian; floats are IEEE-754 binary32,
 * little-endian (the in-memory order of ND4J on x86 and ARM, so arrays stream without swapping).
 *
 * <pre>
 *  offset  size  field
 *  0       8     magic "SLIPCKPT"
 *  8       4     format version (1)
 *  12      32    SHA-256 of the job spec
 *  44      2+n   model tag: unsigned length n, then n bytes of UTF-8 (n &lt;= 1024)
 *  ..      4     world size
 *  ..      8     seed
 *  ..      4     epoch
 *  ..      8     iteration
 *  ..      8     samples consumed in the epoch
 *  ..      8     skipped steps
 *  ..      8     parameter count p, then 4p bytes of float32
 *  ..      8     updater-state count u, then 4u bytes of float32
 *  end-32  32    SHA-256 of every byte before it
 * </pre>
 * Counts are checked against the file's length before anything is allocated, so a truncated or
 * bit-flipped file fails with a clear message, never an out-of-memory error.
 */
public final class TrainingStateFormat
{
    public static final byte[] MAGIC = "SLIPCKPT".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 1;
    private static final int DIGEST_BYTES = 32;
    private static final int MAX_TAG_BYTES = 1024;
    private static final int CHUNK = 64 * 1024;

    private TrainingStateFormat()
    {
    }

    /** Bytes {@link #write} produces for {@code state}. */
    public static long encodedLength(final TrainingState state)
    {
        return MAGIC.length + 4 + TrainingState.SPEC_HASH_BYTES + 2 + tagBytes(state).length + 4 + 8 + 4 + 8 + 8 + 8 +
            8 + 4L * state.params().length + 8 + 4L * state.updaterState().length + DIGEST_BYTES;
    }

    public static void write(final TrainingState state, final OutputStream out) throws IOException
    {
        final MessageDigest digest = sha256();
        final ByteBuffer buffer = ByteBuffer.allocate(CHUNK).order(ByteOrder.BIG_ENDIAN);
        final byte[] tag = tagBytes(state);
        buffer.put(MAGIC).putInt(VERSION).put(state.specHash());
        buffer.putShort((short)tag.length).put(tag);
        buffer.putInt(state.worldSize()).putLong(state.seed()).putInt(state.epoch()).putLong(state.iteration())
            .putLong(state.samplesInEpoch()).putLong(state.skippedSteps());
        buffer.putLong(state.params().length);
        writeFloats(state.params(), buffer, digest, out);
        buffer.putLong(state.updaterState().length);
        writeFloats(state.updaterState(), buffer, digest, out);
        flush(buffer, digest, out);
        out.write(digest.digest());
    }

    /**
     * Reads a state written by {@link #write}; {@code fileLength} is the source's size in bytes.
     *
     * @throws CorruptCheckpointException when the bytes are not a whole, intact version-1 checkpoint.
     */
    public static TrainingState read(final InputStream in, final long fileLength, final String source) throws IOException
    {
        final MessageDigest digest = sha256();
        final Reader reader = new Reader(in, digest, source, fileLength);
        final byte[] magic = reader.bytes(MAGIC.length);
        if (!MessageDigest.isEqual(magic, MAGIC))
        {
            throw new CorruptCheckpointException(source + " is not a Slipstream checkpoint (bad magic)");
        }
        final int version = reader.buffer(4).getInt();
        if (version != VERSION)
        {
            throw new CorruptCheckpointException(source + " has format version " + version + "; this build reads " +
                VERSION + ": resume with the Slipstream version that wrote it");
        }
        final byte[] specHash = reader.bytes(TrainingState.SPEC_HASH_BYTES);
        final int tagLength = reader.buffer(2).getShort() & 0xFFFF;
        if (tagLength > MAX_TAG_BYTES)
        {
            throw new CorruptCheckpointException(source + " has a model tag of " + tagLength + " bytes: the file is corrupt");
        }
        final String tag = new String(reader.bytes(tagLength), StandardCharsets.UTF_8);
        final ByteBuffer counters = reader.buffer(4 + 8 + 4 + 8 + 8 + 8);
        final int worldSize = counters.getInt();
        final long seed = counters.getLong();
        final int epoch = counters.getInt();
        final long iteration = counters.getLong();
        final long samplesInEpoch = counters.getLong();
        final long skipped = counters.getLong();
        final float[] params = reader.floats("parameter");
        final float[] updater = reader.floats("updater-state");
        final byte[] computed = digest.digest();
        final byte[] stored = new byte[DIGEST_BYTES];
        reader.readFully(stored, DIGEST_BYTES);
        if (!MessageDigest.isEqual(computed, stored))
        {
            throw new CorruptCheckpointException(source + " fails its SHA-256 check: the file is corrupt or was cut short");
        }
        if (in.read() != -1)
        {
            throw new CorruptCheckpointException(source + " has bytes after its checksum: the file is corrupt");
        }
        try
        {
            return new TrainingState(specHash, tag, worldSize, seed, epoch, iteration, samplesInEpoch, skipped,
                params, updater);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CorruptCheckpointException(source + ": " + ex.getMessage());
        }
    }

    private static byte[] tagBytes(final TrainingState state)
    {
        final byte[] tag = state.modelTag().getBytes(StandardCharsets.UTF_8);
        if (tag.length > MAX_TAG_BYTES)
        {
            throw new IllegalArgumentException("model tag is " + tag.length + " bytes; at most " + MAX_TAG_BYTES);
        }
        return tag;
    }

    private static void writeFloats(
        final float[] values, final ByteBuffer buffer, final MessageDigest digest, final OutputStream out)
        throws IOException
    {
        int at = 0;
        while (at < values.length)
        {
            if (buffer.remaining() < 4)
            {
                flush(buffer, digest, out);
            }
            final int n = Math.min(buffer.remaining() / 4, values.length - at);
            // Bulk copy through a little-endian float view of the chunk, then advance the byte position.
            buffer.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values, at, n);
            buffer.position(buffer.position() + n * 4);
            at += n;
        }
        if (buffer.remaining() < 8)
        {
            flush(buffer, digest, out);
        }
    }

    private static void flush(final ByteBuffer buffer, final MessageDigest digest, final OutputStream out)
        throws IOException
    {
        digest.update(buffer.array(), 0, buffer.position());
        out.write(buffer.array(), 0, buffer.position());
        buffer.clear();
    }

    private static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("this JVM has no SHA-256", ex);
        }
    }

    private static final class Reader
    {
        private final InputStream in;
        private final MessageDigest digest;
        private final String source;
        private final long fileLength;
        private long consumed;

        Reader(final InputStream in, final MessageDigest digest, final String source, final long fileLength)
        {
            this.in = in;
            this.digest = digest;
            this.source = source;
            this.fileLength = fileLength;
        }

        byte[] bytes(final int length) throws IOException
        {
            final byte[] out = new byte[length];
            readFully(out, length);
            digest.update(out);
            return out;
        }

        ByteBuffer buffer(final int length) throws IOException
        {
            return ByteBuffer.wrap(bytes(length)).order(ByteOrder.BIG_ENDIAN);
        }

        float[] floats(final String what) throws IOException
        {
            final long count = buffer(8).getLong();
            final long remaining = fileLength - consumed - DIGEST_BYTES;
            if (count < 0 || count > remaining / 4 || count > Integer.MAX_VALUE - 8)
            {
                throw new CorruptCheckpointException(source + " declares " + count + " " + what + " values but only " +
                    Math.max(0, remaining) + " bytes remain: the file is truncated or corrupt");
            }
            final float[] values = new float[(int)count];
            final byte[] chunk = new byte[CHUNK];
            final ByteBuffer view = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
            int at = 0;
            while (at < values.length)
            {
                final int n = Math.min(CHUNK / 4, values.length - at);
                readFully(chunk, n * 4);
                digest.update(chunk, 0, n * 4);
                view.clear();
                view.asFloatBuffer().get(values, at, n);
                at += n;
            }
            return values;
        }

        void readFully(final byte[] into, final int length) throws IOException
        {
            int done = 0;
            while (done < length)
            {
                final int n = in.read(into, done, length - done);
                if (n < 0)
                {
                    throw new CorruptCheckpointException(source + " ends after " + (consumed + done) + " bytes: " +
                        "the file is truncated (an interrupted write?)");
                }
                done += n;
            }
            consumed += length;
        }
    }
}
