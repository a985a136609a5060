package io.slipstream.comm.transport;

import io.slipstream.comm.DataType;
import io.slipstream.comm.ReduceOp;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Element-wise reduction of a source run into a destination run: {@code dst[i] = dst[i] op src[i]}, or with
 * {@code srcFirst} {@code dst[i] = src[i] op dst[i]}: two partners that reduce each other's values put the same
 * operand first. For numbers the order does not change the bits; where both operands are NaNs with different
 * payloads, Java leaves the result's payload open and the interpreter, C2's scalar code and SIMD lanes were seen to
 * pick different ones, so partners in different JIT states may then disagree on the payload (still a NaN).
 *
 * <p>When both runs sit in direct ByteBuffers (Aeron's logs always do; so do buffers from
 * {@code BufferUtil.allocateDirectAligned}) and the JVM has {@code --add-modules jdk.incubator.vector}, the
 * {@link VectorReducer} reduces runs of 16 KiB and more in place with SIMD lanes. Otherwise, and for the tail of
 * fewer elements than one vector, it works through cache-sized blocks: both runs are bulk-copied into preallocated
 * Java arrays, reduced by a plain array loop that the JIT vectorises, and copied back. Per-element
 * {@code getFloat}/{@code putFloat} on a buffer is not vectorised and measured about 8x slower in cache. Allocates
 * nothing after construction.
 */
public final class Reducer
{
    /**
     * Whether this JVM has the Vector API as {@link VectorReducer} calls it ({@code --add-modules
     * jdk.incubator.vector} on JDK 17 or 18). JDK 19 replaced the ByteBuffer loads and stores with MemorySegment
     * ones, so on 19+ (25 included) the call would throw NoSuchMethodError and the block path reduces instead.
     */
    static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() &&
        byteBufferVectors();
    private static final int BLOCK_BYTES = 16 * 1024;
    /**
     * Shorter runs take the block path: it is as fast in cache, and the Vector API is only fast once C2 has
     * compiled its loop. Small allreduces reach that late (few loop iterations per call), and until then every
     * lane operation allocates: measured 5-25 us per 64 B-8 KiB allreduce through SIMD, against 0.5-1 us by block.
     */
    private static final int MIN_VECTOR_BYTES = 16 * 1024;
    private static final long FLOAT_BASE = UnsafeApi.arrayBaseOffset(float[].class);
    private static final long DOUBLE_BASE = UnsafeApi.arrayBaseOffset(double[].class);
    private static final long INT_BASE = UnsafeApi.arrayBaseOffset(int[].class);
    private static final long LONG_BASE = UnsafeApi.arrayBaseOffset(long[].class);

    private final float[] fa = new float[BLOCK_BYTES / 4];
    private final float[] fb = new float[BLOCK_BYTES / 4];
    private final double[] da = new double[BLOCK_BYTES / 8];
    private final double[] db = new double[BLOCK_BYTES / 8];
    private final int[] ia = new int[BLOCK_BYTES / 4];
    private final int[] ib = new int[BLOCK_BYTES / 4];
    private final long[] la = new long[BLOCK_BYTES / 8];
    private final long[] lb = new long[BLOCK_BYTES / 8];

    public void reduce(
        final DataType type,
        final ReduceOp op,
        final MutableDirectBuffer dst,
        final int dstOffset,
        final DirectBuffer src,
        final int srcOffset,
        final int count,
        final boolean srcFirst)
    {
        final int size = type.bytes();
        dst.boundsCheck(dstOffset, count * size);
        src.boundsCheck(srcOffset, count * size);
        final int vectorised = VECTOR_API && count * size >= MIN_VECTOR_BYTES ?
            reduceInPlace(type, op, dst, dstOffset, src, srcOffset, count, srcFirst) : 0;
        final int block = BLOCK_BYTES / size;
        int done = vectorised;
        while (done < count)
        {
            final int m = Math.min(block, count - done);
            final int bytes = m * size;
            final long dstAt = dst.addressOffset() + dstOffset + (long)done * size;
            final long srcAt = src.addressOffset() + srcOffset + (long)done * size;
            // A switch expression: a new DataType or ReduceOp does not compile until it is handled here.
            done += switch (type)
            {
                case FLOAT32 ->
                {
                    UnsafeApi.copyMemory(src.byteArray(), srcAt, fa, FLOAT_BASE, bytes);
                    UnsafeApi.copyMemory(dst.byteArray(), dstAt, fb, FLOAT_BASE, bytes);
                    final int reduced = reduceFloats(op, m, srcFirst);
                    UnsafeApi.copyMemory(fb, FLOAT_BASE, dst.byteArray(), dstAt, bytes);
                    yield reduced;
                }
                case FLOAT64 ->
                {
                    UnsafeApi.copyMemory(src.byteArray(), srcAt, da, DOUBLE_BASE, bytes);
                    UnsafeApi.copyMemory(dst.byteArray(), dstAt, db, DOUBLE_BASE, bytes);
                    final int reduced = reduceDoubles(op, m, srcFirst);
                    UnsafeApi.copyMemory(db, DOUBLE_BASE, dst.byteArray(), dstAt, bytes);
                    yield reduced;
                }
                case INT32 ->
                {
                    UnsafeApi.copyMemory(src.byteArray(), srcAt, ia, INT_BASE, bytes);
                    UnsafeApi.copyMemory(dst.byteArray(), dstAt, ib, INT_BASE, bytes);
                    final int reduced = reduceInts(op, m);
                    UnsafeApi.copyMemory(ib, INT_BASE, dst.byteArray(), dstAt, bytes);
                    yield reduced;
                }
                case INT64 ->
                {
                    UnsafeApi.copyMemory(src.byteArray(), srcAt, la, LONG_BASE, bytes);
                    UnsafeApi.copyMemory(dst.byteArray(), dstAt, lb, LONG_BASE, bytes);
                    final int reduced = reduceLongs(op, m);
                    UnsafeApi.copyMemory(lb, LONG_BASE, dst.byteArray(), dstAt, bytes);
                    yield reduced;
                }
            };
        }
    }

    /** The whole vectors of the run through {@link VectorReducer} when both runs sit in direct ByteBuffers. */
    private static int reduceInPlace(
        final DataType type,
        final ReduceOp op,
        final MutableDirectBuffer dst,
        final int dstOffset,
        final DirectBuffer src,
        final int srcOffset,
        final int count,
        final boolean srcFirst)
    {
        final ByteBuffer to = dst.byteBuffer();
        final ByteBuffer from = src.byteBuffer();
        if (to == null || from == null || !to.isDirect() || !from.isDirect() || to.isReadOnly())
        {
            return 0;
        }
        final int bytes = count * type.bytes();
        final int d = dst.wrapAdjustment() + dstOffset;
        final int s = src.wrapAdjustment() + srcOffset;
        if (d + bytes > to.limit() || s + bytes > from.limit())
        {
            return 0; // a ByteBuffer whose limit was lowered: the block path reads through its address instead
        }
        return VectorReducer.reduce(type, op, to, d, from, s, count, srcFirst);
    }

    private int reduceFloats(final ReduceOp op, final int m, final boolean srcFirst)
    {
        final float[] a = fa;
        final float[] b = fb;
        return switch (op)
        {
            case SUM ->
            {
                if (srcFirst)
                {
                    for (int i = 0; i < m; i++)
                    {
                        b[i] = a[i] + b[i];
                    }
                }
                else
                {
                    for (int i = 0; i < m; i++)
                    {
                        b[i] = b[i] + a[i];
                    }
                }
                yield m;
            }
            case MAX ->
            {
                if (srcFirst)
                {
                    for (int i = 0; i < m; i++)
                    {
                        b[i] = Math.max(a[i], b[i]);
                    }
                }
                else
                {
                    for (int i = 0; i < m; i++)
                    {
                        b[i] = Math.max(b[i], a[i]);
                    }
                }
                yield m;
            }
            case MIN ->
            {
                if (srcFirst)
                {
                    for (int i = 0; i < m; i++)
                    {
                        b[i] = Math.min(a[i], b[i]);
                    }
                }
                else
                {
                    for (int i = 0; i < m; i++)
                    {
                        b[i] = Math.min(b[i], a[i]);
                    }
                }
                yield m;
            }
        };
    }

    private int reduceDoubles(final ReduceOp op, final int m, final boolean srcFirst)
    {
        final double[] a = da;
        final double[] b = db;
        return switch (op)
        {
            case SUM ->
            {
                if (srcFirst)
                {
                    for (int i = 0; i < m; i++)
                    {
                        b[i] = a[i] + b[i];
                    }
                }
                else
                {
                    for (int i = 0; i < m; i++)
                    {
                        b[i] = b[i] + a[i];
                    }
                }
                yield m;
            }
            case MAX ->
            {
                if (srcFirst)
                {
                    for (int i = 0; i < m; i++)
                    {
                        b[i] = Math.max(a[i], b[i]);
                    }
                }
                else
                {
                    for (int i = 0; i < m; i++)
                    {
                        b[i] = Math.max(b[i], a[i]);
                    }
                }
                yield m;
            }
            case MIN ->
            {
                if (srcFirst)
                {
                    for (int i = 0; i < m; i++)
                    {
                        b[i] = Math.min(a[i], b[i]);
                    }
                }
                else
                {
                    for (int i = 0; i < m; i++)
                    {
                        b[i] = Math.min(b[i], a[i]);
                    }
                }
                yield m;
            }
        };
    }

    private int reduceInts(final ReduceOp op, final int m)
    {
        final int[] a = ia;
        final int[] b = ib;
        return switch (op)
        {
            case SUM ->
            {
                for (int i = 0; i < m; i++)
                {
                    b[i] += a[i];
                }
                yield m;
            }
            case MAX ->
            {
                for (int i = 0; i < m; i++)
                {
                    b[i] = Math.max(b[i], a[i]);
                }
                yield m;
            }
            case MIN ->
            {
                for (int i = 0; i < m; i++)
                {
                    b[i] = Math.min(b[i], a[i]);
                }
                yield m;
            }
        };
    }

    private int reduceLongs(final ReduceOp op, final int m)
    {
        final long[] a = la;
        final long[] b = lb;
        return switch (op)
        {
            case SUM ->
            {
                for (int i = 0; i < m; i++)
                {
                    b[i] += a[i];
                }
                yield m;
            }
            case MAX ->
            {
                for (int i = 0; i < m; i++)
                {
                    b[i] = Math.max(b[i], a[i]);
                }
                yield m;
            }
            case MIN ->
            {
                for (int i = 0; i < m; i++)
                {
                    b[i] = Math.min(b[i], a[i]);
                }
                yield m;
            }
        };
    }

    private static boolean byteBufferVectors()
    {
        try
        {
            Class.forName("jdk.incubator.vector.FloatVector").getMethod("fromByteBuffer",
                Class.forName("jdk.incubator.vector.VectorSpecies"), ByteBuffer.class, int.class, ByteOrder.class);
            return true;
        }
        catch (final ReflectiveOperationException ex)
        {
            return false;
        }
    }
}
