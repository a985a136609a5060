package io.slipstream.comm.transport;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

/**
 * One reusable off-heap buffer that Java arrays are copied through for the array overloads. It grows (to the next
 * power of two) only when a larger array arrives; typed views are made once per growth, so steady use allocates
 * nothing.
 */
final class ArrayStaging
{
    private ByteBuffer bytes;
    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private FloatBuffer floats;
    private DoubleBuffer doubles;
    private IntBuffer ints;
    private LongBuffer longs;

    ArrayStaging()
    {
        grow(4096);
    }

    UnsafeBuffer put(final float[] data)
    {
        ensure((long)data.length * 4);
        floats.clear();
        floats.put(data);
        return buffer;
    }

    void get(final float[] data)
    {
        floats.clear();
        floats.get(data);
    }

    UnsafeBuffer put(final double[] data)
    {
        ensure((long)data.length * 8);
        doubles.clear();
        doubles.put(data);
        return buffer;
    }

    void get(final double[] data)
    {
        doubles.clear();
        doubles.get(data);
    }

    UnsafeBuffer put(final int[] data)
    {
        ensure((long)data.length * 4);
        ints.clear();
        ints.put(data);
        return buffer;
    }

    void get(final int[] data)
    {
        ints.clear();
        ints.get(data);
    }

    UnsafeBuffer put(final long[] data)
    {
        ensure((long)data.length * 8);
        longs.clear();
        longs.put(data);
        return buffer;
    }

    void get(final long[] data)
    {
        longs.clear();
        longs.get(data);
    }

    UnsafeBuffer ensure(final long capacity)
    {
        if (capacity > Integer.MAX_VALUE - 64)
        {
            throw new IllegalArgumentException(capacity + " bytes do not fit one collective (at most 2 GiB)");
        }
        if (capacity > bytes.capacity())
        {
            grow((int)Math.min(Integer.MAX_VALUE - 64, Long.highestOneBit(capacity - 1) << 1));
        }
        return buffer;
    }

    private void grow(final int capacity)
    {
        bytes = BufferUtil.allocateDirectAligned(capacity, 64).order(ByteOrder.LITTLE_ENDIAN);
        buffer.wrap(bytes);
        floats = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        doubles = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
        ints = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
        longs = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer();
    }
}
