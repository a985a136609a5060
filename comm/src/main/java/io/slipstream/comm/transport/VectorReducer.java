package io.slipstream.comm.transport;

import io.slipstream.comm.DataType;
import io.slipstream.comm.ReduceOp;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The in-place reduction loop of {@link Reducer} for runs that live in {@link ByteBuffer}s (Aeron's logs, direct
 * buffers): SIMD lanes of JDK 17's Vector API ({@code jdk.incubator.vector}) read both operands and write the result
 * where it belongs, so each byte is touched once, against four times through the block-copy path. It reduces the
 * whole vectors of a run and leaves the tail (fewer elements than one vector) to the caller. One loop per operator,
 * each with a constant operation, so the JIT compiles them to plain SIMD instructions. Called only when the
 * module is in the boot layer ({@link Reducer#VECTOR_API}); otherwise this class is never loaded.
 */
final class VectorReducer
{
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;

    private VectorReducer()
    {
    }

    /**
     * {@code dst[i] = dst[i] op src[i]} (with {@code srcFirst}, {@code src[i] op dst[i]}) over the first elements of
     * the {@code count} from byte index {@code d} of {@code dst} and {@code s} of {@code src} (the ByteBuffers' own
     * indexes) that fill whole vectors; returns how many elements that was.
     */
    static int reduce(
        final DataType type,
        final ReduceOp op,
        final ByteBuffer dst,
        final int d,
        final ByteBuffer src,
        final int s,
        final int count,
        final boolean srcFirst)
    {
        return switch (type)
        {
            case FLOAT32 -> floats(op, dst, d, src, s, count, srcFirst);
            case FLOAT64 -> doubles(op, dst, d, src, s, count, srcFirst);
            case INT32 -> ints(op, dst, d, src, s, count);
            case INT64 -> longs(op, dst, d, src, s, count);
        };
    }

    private static int floats(
        final ReduceOp op,
        final ByteBuffer dst,
        final int d,
        final ByteBuffer src,
        final int s,
        final int count,
        final boolean srcFirst)
    {
        final int bound = FLOATS.loopBound(count);
        final int step = FLOATS.length();
        int i = 0;
        return switch (op)
        {
            case SUM ->
            {
                if (srcFirst)
                {
                    for (; i < bound; i += step)
                    {
                        final FloatVector x = FloatVector.fromByteBuffer(FLOATS, src, s + 4 * i, ORDER);
                        final FloatVector y = FloatVector.fromByteBuffer(FLOATS, dst, d + 4 * i, ORDER);
                        x.add(y).intoByteBuffer(dst, d + 4 * i, ORDER);
                    }
                }
                else
                {
                    for (; i < bound; i += step)
                    {
                        final FloatVector x = FloatVector.fromByteBuffer(FLOATS, src, s + 4 * i, ORDER);
                        final FloatVector y = FloatVector.fromByteBuffer(FLOATS, dst, d + 4 * i, ORDER);
                        y.add(x).intoByteBuffer(dst, d + 4 * i, ORDER);
                    }
                }
                yield bound;
            }
            case MAX ->
            {
                if (srcFirst)
                {
                    for (; i < bound; i += step)
                    {
                        final FloatVector x = FloatVector.fromByteBuffer(FLOATS, src, s + 4 * i, ORDER);
                        final FloatVector y = FloatVector.fromByteBuffer(FLOATS, dst, d + 4 * i, ORDER);
                        x.max(y).intoByteBuffer(dst, d + 4 * i, ORDER);
                    }
                }
                else
                {
                    for (; i < bound; i += step)
                    {
                        final FloatVector x = FloatVector.fromByteBuffer(FLOATS, src, s + 4 * i, ORDER);
                        final FloatVector y = FloatVector.fromByteBuffer(FLOATS, dst, d + 4 * i, ORDER);
                        y.max(x).intoByteBuffer(dst, d + 4 * i, ORDER);
                    }
                }
                yield bound;
            }
            case MIN ->
            {
                if (srcFirst)
                {
                    for (; i < bound; i += step)
                    {
                        final FloatVector x = FloatVector.fromByteBuffer(FLOATS, src, s + 4 * i, ORDER);
                        final FloatVector y = FloatVector.fromByteBuffer(FLOATS, dst, d + 4 * i, ORDER);
                        x.min(y).intoByteBuffer(dst, d + 4 * i, ORDER);
                    }
                }
                else
                {
                    for (; i < bound; i += step)
                    {
                        final FloatVector x = FloatVector.fromByteBuffer(FLOATS, src, s + 4 * i, ORDER);
                        final FloatVector y = FloatVector.fromByteBuffer(FLOATS, dst, d + 4 * i, ORDER);
                        y.min(x).intoByteBuffer(dst, d + 4 * i, ORDER);
                    }
                }
                yield bound;
            }
        };
    }

    private static int doubles(
        final ReduceOp op,
        final ByteBuffer dst,
        final int d,
        final ByteBuffer src,
        final int s,
        final int count,
        final boolean srcFirst)
    {
        final int bound = DOUBLES.loopBound(count);
        final int step = DOUBLES.length();
        int i = 0;
        return switch (op)
        {
            case SUM ->
            {
                if (srcFirst)
                {
                    for (; i < bound; i += step)
                    {
                        final DoubleVector x = DoubleVector.fromByteBuffer(DOUBLES, src, s + 8 * i, ORDER);
                        final DoubleVector y = DoubleVector.fromByteBuffer(DOUBLES, dst, d + 8 * i, ORDER);
                        x.add(y).intoByteBuffer(dst, d + 8 * i, ORDER);
                    }
                }
                else
                {
                    for (; i < bound; i += step)
                    {
                        final DoubleVector x = DoubleVector.fromByteBuffer(DOUBLES, src, s + 8 * i, ORDER);
                        final DoubleVector y = DoubleVector.fromByteBuffer(DOUBLES, dst, d + 8 * i, ORDER);
                        y.add(x).intoByteBuffer(dst, d + 8 * i, ORDER);
                    }
                }
                yield bound;
            }
            case MAX ->
            {
                if (srcFirst)
                {
                    for (; i < bound; i += step)
                    {
                        final DoubleVector x = DoubleVector.fromByteBuffer(DOUBLES, src, s + 8 * i, ORDER);
                        final DoubleVector y = DoubleVector.fromByteBuffer(DOUBLES, dst, d + 8 * i, ORDER);
                        x.max(y).intoByteBuffer(dst, d + 8 * i, ORDER);
                    }
                }
                else
                {
                    for (; i < bound; i += step)
                    {
                        final DoubleVector x = DoubleVector.fromByteBuffer(DOUBLES, src, s + 8 * i, ORDER);
                        final DoubleVector y = DoubleVector.fromByteBuffer(DOUBLES, dst, d + 8 * i, ORDER);
                        y.max(x).intoByteBuffer(dst, d + 8 * i, ORDER);
                    }
                }
                yield bound;
            }
            case MIN ->
            {
                if (srcFirst)
                {
                    for (; i < bound; i += step)
                    {
                        final DoubleVector x = DoubleVector.fromByteBuffer(DOUBLES, src, s + 8 * i, ORDER);
                        final DoubleVector y = DoubleVector.fromByteBuffer(DOUBLES, dst, d + 8 * i, ORDER);
                        x.min(y).intoByteBuffer(dst, d + 8 * i, ORDER);
                    }
                }
                else
                {
                    for (; i < bound; i += step)
                    {
                        final DoubleVector x = DoubleVector.fromByteBuffer(DOUBLES, src, s + 8 * i, ORDER);
                        final DoubleVector y = DoubleVector.fromByteBuffer(DOUBLES, dst, d + 8 * i, ORDER);
                        y.min(x).intoByteBuffer(dst, d + 8 * i, ORDER);
                    }
                }
                yield bound;
            }
        };
    }

    private static int ints(
        final ReduceOp op, final ByteBuffer dst, final int d, final ByteBuffer src, final int s, final int count)
    {
        final int bound = INTS.loopBound(count);
        final int step = INTS.length();
        int i = 0;
        return switch (op)
        {
            case SUM ->
            {
                for (; i < bound; i += step)
                {
                    IntVector.fromByteBuffer(INTS, dst, d + 4 * i, ORDER)
                        .add(IntVector.fromByteBuffer(INTS, src, s + 4 * i, ORDER))
                        .intoByteBuffer(dst, d + 4 * i, ORDER);
                }
                yield bound;
            }
            case MAX ->
            {
                for (; i < bound; i += step)
                {
                    IntVector.fromByteBuffer(INTS, dst, d + 4 * i, ORDER)
                        .max(IntVector.fromByteBuffer(INTS, src, s + 4 * i, ORDER))
                        .intoByteBuffer(dst, d + 4 * i, ORDER);
                }
                yield bound;
            }
            case MIN ->
            {
                for (; i < bound; i += step)
                {
                    IntVector.fromByteBuffer(INTS, dst, d + 4 * i, ORDER)
                        .min(IntVector.fromByteBuffer(INTS, src, s + 4 * i, ORDER))
                        .intoByteBuffer(dst, d + 4 * i, ORDER);
                }
                yield bound;
            }
        };
    }

    private static int longs(
        final ReduceOp op, final ByteBuffer dst, final int d, final ByteBuffer src, final int s, final int count)
    {
        final int bound = LONGS.loopBound(count);
        final int step = LONGS.length();
        int i = 0;
        return switch (op)
        {
            case SUM ->
            {
                for (; i < bound; i += step)
                {
                    LongVector.fromByteBuffer(LONGS, dst, d + 8 * i, ORDER)
                        .add(LongVector.fromByteBuffer(LONGS, src, s + 8 * i, ORDER))
                        .intoByteBuffer(dst, d + 8 * i, ORDER);
                }
                yield bound;
            }
            case MAX ->
            {
                for (; i < bound; i += step)
                {
                    LongVector.fromByteBuffer(LONGS, dst, d + 8 * i, ORDER)
                        .max(LongVector.fromByteBuffer(LONGS, src, s + 8 * i, ORDER))
                        .intoByteBuffer(dst, d + 8 * i, ORDER);
                }
                yield bound;
            }
            case MIN ->
            {
                for (; i < bound; i += step)
                {
                    LongVector.fromByteBuffer(LONGS, dst, d + 8 * i, ORDER)
                        .min(LongVector.fromByteBuffer(LONGS, src, s + 8 * i, ORDER))
                        .intoByteBuffer(dst, d + 8 * i, ORDER);
                }
                yield bound;
            }
        };
    }
}
