package io.slipstream.comm.transport;

import io.slipstream.comm.DataType;
import io.slipstream.comm.ReduceOp;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Element-wise reduction of a source run into a destination run, {@code dst[i] = dst[i] op src[i]} or, when
 * {@code srcFirst}, {@code dst[i] = src[i] op dst[i]}: two partners that each reduce the other's values then put
 * the same operand first and get the same bits even for NaN payloads. Primitive loops, no allocation.
 */
public final class Reduction
{
    private Reduction()
    {
    }

    public static void reduce(
        final DataType type,
        final ReduceOp op,
        final MutableDirectBuffer dst,
        final int dstOffset,
        final DirectBuffer src,
        final int srcOffset,
        final int count,
        final boolean srcFirst)
    {
        switch (type)
        {
            case FLOAT32:
                reduceFloat(op, dst, dstOffset, src, srcOffset, count, srcFirst);
                break;
            case FLOAT64:
                reduceDouble(op, dst, dstOffset, src, srcOffset, count, srcFirst);
                break;
            case INT32:
                reduceInt(op, dst, dstOffset, src, srcOffset, count);
                break;
            case INT64:
                reduceLong(op, dst, dstOffset, src, srcOffset, count);
                break;
            default:
                throw new IllegalArgumentException("unknown data type " + type);
        }
    }

    private static void reduceFloat(
        final ReduceOp op,
        final MutableDirectBuffer dst,
        final int dstOffset,
        final DirectBuffer src,
        final int srcOffset,
        final int count,
        final boolean srcFirst)
    {
        final int end = count << 2;
        switch (op)
        {
            case SUM:
                if (srcFirst)
                {
                    for (int i = 0; i < end; i += 4)
                    {
                        dst.putFloat(dstOffset + i, src.getFloat(srcOffset + i) + dst.getFloat(dstOffset + i));
                    }
                }
                else
                {
                    for (int i = 0; i < end; i += 4)
                    {
                        dst.putFloat(dstOffset + i, dst.getFloat(dstOffset + i) + src.getFloat(srcOffset + i));
                    }
                }
                break;
            case MAX:
                for (int i = 0; i < end; i += 4)
                {
                    final float a = dst.getFloat(dstOffset + i);
                    final float b = src.getFloat(srcOffset + i);
                    dst.putFloat(dstOffset + i, srcFirst ? Math.max(b, a) : Math.max(a, b));
                }
                break;
            case MIN:
                for (int i = 0; i < end; i += 4)
                {
                    final float a = dst.getFloat(dstOffset + i);
                    final float b = src.getFloat(srcOffset + i);
                    dst.putFloat(dstOffset + i, srcFirst ? Math.min(b, a) : Math.min(a, b));
                }
                break;
            default:
                throw new IllegalArgumentException("unknown reduce op " + op);
        }
    }

    private static void reduceDouble(
        final ReduceOp op,
        final MutableDirectBuffer dst,
        final int dstOffset,
        final DirectBuffer src,
        final int srcOffset,
        final int count,
        final boolean srcFirst)
    {
        final int end = count << 3;
        switch (op)
        {
            case SUM:
                if (srcFirst)
                {
                    for (int i = 0; i < end; i += 8)
                    {
                        dst.putDouble(dstOffset + i, src.getDouble(srcOffset + i) + dst.getDouble(dstOffset + i));
                    }
                }
                else
                {
                    for (int i = 0; i < end; i += 8)
                    {
                        dst.putDouble(dstOffset + i, dst.getDouble(dstOffset + i) + src.getDouble(srcOffset + i));
                    }
                }
                break;
            case MAX:
                for (int i = 0; i < end; i += 8)
                {
                    final double a = dst.getDouble(dstOffset + i);
                    final double b = src.getDouble(srcOffset + i);
                    dst.putDouble(dstOffset + i, srcFirst ? Math.max(b, a) : Math.max(a, b));
                }
                break;
            case MIN:
                for (int i = 0; i < end; i += 8)
                {
                    final double a = dst.getDouble(dstOffset + i);
                    final double b = src.getDouble(srcOffset + i);
                    dst.putDouble(dstOffset + i, srcFirst ? Math.min(b, a) : Math.min(a, b));
                }
                break;
            default:
                throw new IllegalArgumentException("unknown reduce op " + op);
        }
    }

    private static void reduceInt(
        final ReduceOp op,
        final MutableDirectBuffer dst,
        final int dstOffset,
        final DirectBuffer src,
        final int srcOffset,
        final int count)
    {
        final int end = count << 2;
        switch (op)
        {
            case SUM:
                for (int i = 0; i < end; i += 4)
                {
                    dst.putInt(dstOffset + i, dst.getInt(dstOffset + i) + src.getInt(srcOffset + i));
                }
                break;
            case MAX:
                for (int i = 0; i < end; i += 4)
                {
                    dst.putInt(dstOffset + i, Math.max(dst.getInt(dstOffset + i), src.getInt(srcOffset + i)));
                }
                break;
            case MIN:
                for (int i = 0; i < end; i += 4)
                {
                    dst.putInt(dstOffset + i, Math.min(dst.getInt(dstOffset + i), src.getInt(srcOffset + i)));
                }
                break;
            default:
                throw new IllegalArgumentException("unknown reduce op " + op);
        }
    }

    private static void reduceLong(
        final ReduceOp op,
        final MutableDirectBuffer dst,
        final int dstOffset,
        final DirectBuffer src,
        final int srcOffset,
        final int count)
    {
        final int end = count << 3;
        switch (op)
        {
            case SUM:
                for (int i = 0; i < end; i += 8)
                {
                    dst.putLong(dstOffset + i, dst.getLong(dstOffset + i) + src.getLong(srcOffset + i));
                }
                break;
            case MAX:
                for (int i = 0; i < end; i += 8)
                {
                    dst.putLong(dstOffset + i, Math.max(dst.getLong(dstOffset + i), src.getLong(srcOffset + i)));
                }
                break;
            case MIN:
                for (int i = 0; i < end; i += 8)
                {
                    dst.putLong(dstOffset + i, Math.min(dst.getLong(dstOffset + i), src.getLong(srcOffset + i)));
                }
                break;
            default:
                throw new IllegalArgumentException("unknown reduce op " + op);
        }
    }
}
