package io.slipstream.kernels;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FiniteCheckTest
{
    @Test
    void findsTheFirstNanOrInfinityInAnyBucket()
    {
        final INDArray flat = Nd4j.arange(100).castTo(DataType.FLOAT).subi(5);
        final GradientBuckets buckets = new GradientBuckets(flat, 64);
        assertEquals(-1, FiniteCheck.firstNonFinite(buckets));
        flat.putScalar(77, Float.NEGATIVE_INFINITY);
        assertEquals(77, FiniteCheck.firstNonFinite(buckets));
        flat.putScalar(31, Float.NaN);
        assertEquals(31, FiniteCheck.firstNonFinite(buckets));
    }

    @Test
    void largeFiniteValuesAndSubnormalsPass()
    {
        final INDArray flat = Nd4j.createFromArray(Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, 0f, -0f);
        assertEquals(-1, FiniteCheck.firstNonFinite(new GradientBuckets(flat, 1024)));
    }

    @Test
    void checksDoubles()
    {
        final INDArray flat = Nd4j.createFromArray(1.0, Double.MAX_VALUE, Double.POSITIVE_INFINITY);
        assertEquals(2, FiniteCheck.firstNonFinite(new GradientBuckets(flat, 8)));
    }
}
