package io.slipstream.kernels;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GradientBucketsTest
{
    @Test
    void bucketsTileTheArrayAndShareItsMemory()
    {
        final INDArray flat = Nd4j.arange(10).castTo(DataType.FLOAT);
        final GradientBuckets buckets = new GradientBuckets(flat, 16);
        assertEquals(3, buckets.count());
        assertEquals(4, buckets.length(0));
        assertEquals(4, buckets.length(1));
        assertEquals(2, buckets.length(2));
        assertEquals(8, buckets.bytes(2));
        assertEquals(8, buckets.start(2));
        assertEquals(9.0f, buckets.buffer(2).getFloat(4));
        buckets.view(1).muli(2);
        assertEquals(10.0f, buckets.buffer(1).getFloat(4));
        assertEquals(10.0f, flat.getFloat(5));
    }

    @Test
    void oneBucketWhenTheArrayIsSmall()
    {
        final GradientBuckets buckets = new GradientBuckets(Nd4j.zeros(DataType.FLOAT, 5), GradientBuckets.DEFAULT_BUCKET_BYTES);
        assertEquals(1, buckets.count());
        assertEquals(20, buckets.bytes(0));
    }

    @Test
    void refusesABucketSmallerThanAnElement()
    {
        assertThrows(IllegalArgumentException.class, () -> new GradientBuckets(Nd4j.zeros(DataType.DOUBLE, 5), 4));
    }
}
