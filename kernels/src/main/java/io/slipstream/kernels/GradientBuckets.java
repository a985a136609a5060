package io.slipstream.kernels;

import org.agrona.concurrent.UnsafeBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Fixed, preallocated slices of one flat array (the network's gradient): each bucket is both an ND4J view
 * and an Agrona buffer over the same bytes, so comm reduces the gradient in place, bucket by bucket, after the
 * backward pass (nothing overlaps ND4J's work yet). Built once per network; {@link #buffer(int)} and
 * {@link #view(int)} allocate nothing.
 */
public final class GradientBuckets
{
    /** 4 MiB: large enough to run at full bandwidth, small enough to bound one message. */
    public static final int DEFAULT_BUCKET_BYTES = 4 * 1024 * 1024;

    private final INDArray flat;
    private final int elementSize;
    private final long[] starts;
    private final int[] lengths;
    private final INDArray[] views;
    private final UnsafeBuffer[] buffers;

    public GradientBuckets(final INDArray flat, final int bucketBytes)
    {
        ArrayBridge.requireContiguous(flat);
        elementSize = flat.data().getElementSize();
        if (bucketBytes < elementSize)
        {
            throw new IllegalArgumentException("bucket size " + bucketBytes + " bytes is smaller than one element (" +
                elementSize + " bytes): use at least " + elementSize);
        }
        this.flat = flat.reshape(flat.length());
        final long total = flat.length();
        final long perBucket = bucketBytes / elementSize;
        final int count = (int)((total + perBucket - 1) / perBucket);
        starts = new long[count];
        lengths = new int[count];
        views = new INDArray[count];
        buffers = new UnsafeBuffer[count];
        for (int b = 0; b < count; b++)
        {
            final long start = b * perBucket;
            final long end = Math.min(total, start + perBucket);
            starts[b] = start;
            lengths[b] = (int)(end - start);
            views[b] = this.flat.get(NDArrayIndex.interval(start, end));
            buffers[b] = ArrayBridge.wrap(views[b]);
        }
    }

    public INDArray flat()
    {
        return flat;
    }

    public int count()
    {
        return lengths.length;
    }

    /** First element of bucket {@code b} in the flat array. */
    public long start(final int b)
    {
        return starts[b];
    }

    /** Elements in bucket {@code b}. */
    public int length(final int b)
    {
        return lengths[b];
    }

    public int bytes(final int b)
    {
        return lengths[b] * elementSize;
    }

    public INDArray view(final int b)
    {
        return views[b];
    }

    public UnsafeBuffer buffer(final int b)
    {
        return buffers[b];
    }
}
