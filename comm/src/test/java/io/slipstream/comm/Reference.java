package io.slipstream.comm;

import org.agrona.MutableDirectBuffer;

/** Inputs every test rank can compute for any rank, and the sequential reference of their reductions. */
final class Reference
{
    private Reference()
    {
    }

    /** Small integers, so float sums are exact and comparable to the reference bit for bit. */
    static long value(final int rank, final int index)
    {
        return (int)(((long)rank * 31 + (long)index * 7) % 19) - 9;
    }

    static void fill(final MutableDirectBuffer buffer, final int offset, final DataType type, final int count,
        final int rank)
    {
        for (int i = 0; i < count; i++)
        {
            put(buffer, offset, type, i, value(rank, i));
        }
    }

    static long expected(final ReduceOp op, final int size, final int index)
    {
        long acc = value(0, index);
        for (int r = 1; r < size; r++)
        {
            final long v = value(r, index);
            acc = op == ReduceOp.SUM ? acc + v : op == ReduceOp.MAX ? Math.max(acc, v) : Math.min(acc, v);
        }
        return acc;
    }

    static void put(final MutableDirectBuffer buffer, final int offset, final DataType type, final int i,
        final long v)
    {
        switch (type)
        {
            case FLOAT32:
                buffer.putFloat(offset + i * 4, v);
                break;
            case FLOAT64:
                buffer.putDouble(offset + i * 8, v);
                break;
            case INT32:
                buffer.putInt(offset + i * 4, (int)v);
                break;
            default:
                buffer.putLong(offset + i * 8, v);
                break;
        }
    }

    static long get(final MutableDirectBuffer buffer, final int offset, final DataType type, final int i)
    {
        switch (type)
        {
            case FLOAT32:
                final float f = buffer.getFloat(offset + i * 4);
                return (long)f == f ? (long)f : Long.MIN_VALUE;
            case FLOAT64:
                final double d = buffer.getDouble(offset + i * 8);
                return (long)d == d ? (long)d : Long.MIN_VALUE;
            case INT32:
                return buffer.getInt(offset + i * 4);
            default:
                return buffer.getLong(offset + i * 8);
        }
    }

    /** First index where the buffer differs from the reference, or -1. */
    static int firstWrong(final MutableDirectBuffer buffer, final int offset, final DataType type, final ReduceOp op,
        final int size, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            if (get(buffer, offset, type, i) != expected(op, size, i))
            {
                return i;
            }
        }
        return -1;
    }
}
