package io.slipstream.kernels;

import org.agrona.concurrent.UnsafeBuffer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Finds NaN or infinity in a float or double array through its zero-copy buffer: a primitive loop, no
 * allocation, stops at the first bad element.
 */
public final class FiniteCheck
{
    private FiniteCheck()
    {
    }

    /** Index of the first non-finite element of {@code buckets}' array, or -1 when all are finite. */
    public static long firstNonFinite(final GradientBuckets buckets)
    {
        final DataType type = buckets.flat().dataType();
        for (int b = 0, n = buckets.count(); b < n; b++)
        {
            final int at = type == DataType.DOUBLE ?
                firstNonFiniteDouble(buckets.buffer(b), buckets.length(b)) :
                firstNonFiniteFloat(buckets.buffer(b), buckets.length(b), type);
            if (at >= 0)
            {
                return buckets.start(b) + at;
            }
        }
        return -1;
    }

    public static int firstNonFiniteFloat(final UnsafeBuffer buffer, final int count, final DataType type)
    {
        if (type != DataType.FLOAT)
        {
            throw new IllegalArgumentException("finite check supports FLOAT and DOUBLE, not " + type +
                ": keep gradients in float32 or float64");
        }
        for (int i = 0; i < count; i++)
        {
            // NaN and +-Inf are the only floats whose exponent bits are all ones.
            if ((buffer.getInt(i << 2) & 0x7F80_0000) == 0x7F80_0000)
            {
                return i;
            }
        }
        return -1;
    }

    public static int firstNonFiniteDouble(final UnsafeBuffer buffer, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            if ((buffer.getLong(i << 3) & 0x7FF0_0000_0000_0000L) ==
                0x7FF0_0000_0000_0000L)
            {
                return i;
            }
        }
        return -1;
    }
}
