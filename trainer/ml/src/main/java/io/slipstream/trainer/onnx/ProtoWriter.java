package io.slipstream.trainer.onnx;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes one protocol-buffer message in the binary wire format, field by field, into a growing byte array: the
 * subset ONNX needs. Varint fields (wire type 0) carry int32, int64 and enum values, a negative value taking ten
 * bytes as protobuf's two's-complement rule says; floats are fixed32 (wire type 5), little-endian; strings, bytes,
 * embedded messages and packed repeated scalars are length-delimited (wire type 2). A nested message is written
 * into its own writer first and embedded whole, so its length is known before its bytes.
 *
 * <p>Fields are written in the order they are called; protobuf readers accept any order, and repeated non-packed
 * fields are simply the same field number written again.
 */
final class ProtoWriter
{
    private static final int VARINT = 0;
    private static final int FIXED32 = 5;
    private static final int LENGTH_DELIMITED = 2;

    private byte[] buffer = new byte[64];
    private int size;

    /** An int32, int64 or enum field. */
    ProtoWriter varint(final int field, final long value)
    {
        tag(field, VARINT);
        rawVarint(value);
        return this;
    }

    /** A float field. */
    ProtoWriter float32(final int field, final float value)
    {
        tag(field, FIXED32);
        rawFixed32(Float.floatToRawIntBits(value));
        return this;
    }

    /** A string field, UTF-8 encoded. */
    ProtoWriter string(final int field, final String value)
    {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A bytes field. */
    ProtoWriter bytes(final int field, final byte[] value)
    {
        tag(field, LENGTH_DELIMITED);
        rawVarint(value.length);
        append(value, 0, value.length);
        return this;
    }

    /** An embedded message field. */
    ProtoWriter message(final int field, final ProtoWriter message)
    {
        tag(field, LENGTH_DELIMITED);
        rawVarint(message.size);
        append(message.buffer, 0, message.size);
        return this;
    }

    /** A packed repeated int32/int64 field; nothing at all when {@code values} is empty, as protobuf writes it. */
    ProtoWriter packedVarints(final int field, final long[] values)
    {
        if (values.length == 0)
        {
            return this;
        }
        final ProtoWriter body = new ProtoWriter();
        for (final long v : values)
        {
            body.rawVarint(v);
        }
        tag(field, LENGTH_DELIMITED);
        rawVarint(body.size);
        append(body.buffer, 0, body.size);
        return this;
    }

    /** A packed repeated float field; nothing at all when {@code values} is empty. */
    ProtoWriter packedFloats(final int field, final float[] values)
    {
        if (values.length == 0)
        {
            return this;
        }
        tag(field, LENGTH_DELIMITED);
        rawVarint(4L * values.length);
        ensure(4 * values.length);
        for (final float v : values)
        {
            rawFixed32(Float.floatToRawIntBits(v));
        }
        return this;
    }

    /** Bytes written so far. */
    int size()
    {
        return size;
    }

    byte[] toByteArray()
    {
        return Arrays.copyOf(buffer, size);
    }

    void writeTo(final OutputStream out) throws IOException
    {
        out.write(buffer, 0, size);
    }

    private void tag(final int field, final int wireType)
    {
        if (field < 1 || field > 0x1FFFFFFF)
        {
            throw new IllegalArgumentException("protobuf field number " + field + " is outside 1..2^29-1");
        }
        rawVarint(((long)field << 3) | wireType);
    }

    private void rawVarint(final long value)
    {
        ensure(10);
        long v = value;
        while ((v & ~0x7FL) != 0)
        {
            buffer[size++] = (byte)((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buffer[size++] = (byte)v;
    }

    private void rawFixed32(final int bits)
    {
        ensure(4);
        buffer[size++] = (byte)bits;
        buffer[size++] = (byte)(bits >>> 8);
        buffer[size++] = (byte)(bits >>> 16);
        buffer[size++] = (byte)(bits >>> 24);
    }

    private void append(final byte[] bytes, final int offset, final int length)
    {
        ensure(length);
        System.arraycopy(bytes, offset, buffer, size, length);
        size += length;
    }

    private void ensure(final int extra)
    {
        if (extra > Integer.MAX_VALUE - 8 - size)
        {
            throw new IllegalStateException("a protobuf message over 2 GiB cannot be written; ONNX limits a model " +
                "file to 2 GiB, so export a smaller model (fewer or shallower trees)");
        }
        if (size + extra > buffer.length)
        {
            final long grown = Math.max((long)buffer.length * 2, (long)size + extra);
            buffer = Arrays.copyOf(buffer, (int)Math.min(grown, Integer.MAX_VALUE - 8));
        }
    }
}
