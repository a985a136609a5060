package io.slipstream.comm.transport;

import io.slipstream.comm.DataType;
import io.slipstream.comm.ReduceOp;
import org.agrona.BufferUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReducerTest
{
    private static final int[] COUNTS = {0, 1, 3, 7, 16, 17, 31, 64, 1000, 5003, 20_000};
    private static final int BYTES = 8 * 20_000 + 64;

    private final Reducer reducer = new Reducer();

    /** Where the two runs live: each kind reaches a different path of the Reducer. */
    private enum Kind
    {
        DIRECT, ARRAY, ADDRESS;

        UnsafeBuffer allocate(final ByteBuffer keepAlive)
        {
            switch (this)
            {
                case DIRECT:
                    return new UnsafeBuffer(keepAlive);
                case ARRAY:
                    return new UnsafeBuffer(new byte[BYTES]);
                default:
                    return new UnsafeBuffer(BufferUtil.address(keepAlive), keepAlive.capacity());
            }
        }
    }

    /**
     * On JDK 17 and 18 both paths are exercised (surefire's argLine carries {@code --add-modules
     * jdk.incubator.vector}). JDK 19 replaced the Vector API's ByteBuffer loads with MemorySegment ones, so there
     * the SIMD path must be off (a call would throw NoSuchMethodError) and the block path reduces everything.
     */
    @Test
    void theVectorPathIsOnExactlyWhereItsApiExists()
    {
        if (Runtime.version().feature() < 19)
        {
            assertTrue(Reducer.VECTOR_API, "surefire's argLine must carry --add-modules jdk.incubator.vector");
        }
        else
        {
            assertFalse(Reducer.VECTOR_API, "JDK " + Runtime.version().feature() + " has no ByteBuffer vector loads");
        }
    }

    @Test
    void everyTypeOperatorAndLayoutMatchesTheScalarLoop()
    {
        final SplittableRandom random = new SplittableRandom(7);
        final ByteBuffer dstMemory = BufferUtil.allocateDirectAligned(BYTES, 64);
        final ByteBuffer srcMemory = BufferUtil.allocateDirectAligned(BYTES, 64);
        for (final Kind dstKind : Kind.values())
        {
            for (final Kind srcKind : Kind.values())
            {
                final UnsafeBuffer dst = dstKind.allocate(dstMemory);
                final UnsafeBuffer src = srcKind.allocate(srcMemory);
                for (final DataType type : DataType.values())
                {
                    for (final ReduceOp op : ReduceOp.values())
                    {
                        for (final int count : COUNTS)
                        {
                            // Offsets that are not vector-aligned, as frames in an Aeron log are not.
                            final int dstOffset = type.bytes() * random.nextInt(5);
                            final int srcOffset = type.bytes() * random.nextInt(5);
                            final boolean srcFirst = random.nextBoolean();
                            check(random, type, op, dst, dstOffset, src, srcOffset, count, srcFirst,
                                dstKind + "<-" + srcKind);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aByteBufferWithALoweredLimitIsStillReducedWhole()
    {
        final ByteBuffer memory = BufferUtil.allocateDirectAligned(4 * 100, 64);
        final UnsafeBuffer dst = new UnsafeBuffer(memory);
        memory.limit(16);
        final UnsafeBuffer src = new UnsafeBuffer(new byte[4 * 100]);
        for (int i = 0; i < 100; i++)
        {
            dst.putFloat(4 * i, i);
            src.putFloat(4 * i, 1);
        }
        reducer.reduce(DataType.FLOAT32, ReduceOp.SUM, dst, 0, src, 0, 100, false);
        for (int i = 0; i < 100; i++)
        {
            assertEquals(i + 1.0f, dst.getFloat(4 * i));
        }
    }

    private void check(
        final SplittableRandom random,
        final DataType type,
        final ReduceOp op,
        final MutableDirectBuffer dst,
        final int dstOffset,
        final MutableDirectBuffer src,
        final int srcOffset,
        final int count,
        final boolean srcFirst,
        final String layout)
    {
        final int size = type.bytes();
        final long[] expected = new long[count];
        for (int i = 0; i < count; i++)
        {
            final int d = dstOffset + i * size;
            final int s = srcOffset + i * size;
            switch (type)
            {
                case FLOAT32:
                {
                    final float x = (float)random.nextGaussian();
                    final float y = random.nextInt(20) == 0 ? -0.0f : (float)random.nextGaussian();
                    dst.putFloat(d, x);
                    src.putFloat(s, y);
                    final float r = op == ReduceOp.SUM ? (srcFirst ? y + x : x + y) :
                        op == ReduceOp.MAX ? (srcFirst ? Math.max(y, x) : Math.max(x, y)) :
                        (srcFirst ? Math.min(y, x) : Math.min(x, y));
                    expected[i] = Float.floatToRawIntBits(r);
                    break;
                }
                case FLOAT64:
                {
                    final double x = random.nextGaussian();
                    final double y = random.nextGaussian();
                    dst.putDouble(d, x);
                    src.putDouble(s, y);
                    final double r = op == ReduceOp.SUM ? (srcFirst ? y + x : x + y) :
                        op == ReduceOp.MAX ? Math.max(x, y) : Math.min(x, y);
                    expected[i] = Double.doubleToRawLongBits(r);
                    break;
                }
                case INT32:
                {
                    final int x = random.nextInt();
                    final int y = random.nextInt();
                    dst.putInt(d, x);
                    src.putInt(s, y);
                    expected[i] = op == ReduceOp.SUM ? x + y : op == ReduceOp.MAX ? Math.max(x, y) : Math.min(x, y);
                    break;
                }
                default:
                {
                    final long x = random.nextLong();
                    final long y = random.nextLong();
                    dst.putLong(d, x);
                    src.putLong(s, y);
                    expected[i] = op == ReduceOp.SUM ? x + y : op == ReduceOp.MAX ? Math.max(x, y) : Math.min(x, y);
                    break;
                }
            }
        }
        reducer.reduce(type, op, dst, dstOffset, src, srcOffset, count, srcFirst);
        for (int i = 0; i < count; i++)
        {
            final int d = dstOffset + i * size;
            final long actual = switch (type)
            {
                case FLOAT32 -> Float.floatToRawIntBits(dst.getFloat(d));
                case FLOAT64 -> Double.doubleToRawLongBits(dst.getDouble(d));
                case INT32 -> dst.getInt(d);
                default -> dst.getLong(d);
            };
            assertEquals(expected[i], actual, layout + " " + type + " " + op + " count " + count + " element " + i);
        }
    }
}
