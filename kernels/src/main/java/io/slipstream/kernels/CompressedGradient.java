package io.slipstream.kernels;

import org.agrona.concurrent.UnsafeBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A float32 gradient sent as 16-bit values with error feedback. What crosses the wire: each rank's
 * encoded bucket ({@code 2 * length} bytes) is all-gathered, so every rank holds every rank's 16-bit
 * bucket and decodes and sums them in float32 in rank order: the sum is bit-identical on all ranks
 * without reducing in 16 bits (which would round once per hop). A rank sends {@code (N - 1) * 2n} bytes
 * against {@code 2 (N - 1) / N * 4n} for a float32 ring allreduce, so this pays off for N &lt; 4 ranks.
 *
 * <p>Error feedback: the rounding error of step t ({@code g - decode(encode(g))}) is kept per rank and
 * added to the gradient of step t + 1, so no part of the gradient is lost, only delayed.
 *
 * <p>All arrays and views are allocated here, once; a step only runs ND4J ops on them.
 */
public final class CompressedGradient
{
    private final Compression compression;
    private final int worldSize;
    private final INDArray gradient;
    private final INDArray residual;
    private final INDArray encoded;
    private final INDArray gathered;
    private final int[] lengths;
    private final INDArray[] gradientViews;
    private final INDArray[] scratchViews;
    private final INDArray[][] gatheredViews;
    private final UnsafeBuffer[] sendBuffers;
    private final UnsafeBuffer[] gatherBuffers;

    /**
     * @param gradient    the flat float32 gradient, encoded from and decoded into in place.
     * @param worldSize   ranks taking part in the exchange.
     * @param bucketBytes wire bytes per bucket (per rank).
     */
    public CompressedGradient(
        final Compression compression, final INDArray gradient, final int worldSize, final int bucketBytes)
    {
        if (compression == Compression.NONE)
        {
            throw new IllegalArgumentException("Compression.NONE needs no codec: reduce the float32 gradient in place");
        }
        if (gradient.dataType() != DataType.FLOAT)
        {
            throw new IllegalArgumentException("compressed exchange needs a FLOAT gradient, found " + gradient.dataType());
        }
        if (worldSize < 1)
        {
            throw new IllegalArgumentException("world size must be at least 1, was " + worldSize);
        }
        ArrayBridge.requireContiguous(gradient);
        this.compression = compression;
        this.worldSize = worldSize;
        this.gradient = gradient.reshape(gradient.length());
        final long n = gradient.length();
        final int wireBytes = compression.wireBytes();
        if (bucketBytes < wireBytes)
        {
            throw new IllegalArgumentException("bucket size " + bucketBytes + " bytes is smaller than one " +
                compression + " element: use at least " + wireBytes);
        }
        final int perBucket = bucketBytes / wireBytes;
        final int count = (int)((n + perBucket - 1) / perBucket);

        residual = Nd4j.zeros(DataType.FLOAT, n);
        encoded = Nd4j.zeros(compression.wireType(), n);
        gathered = Nd4j.zeros(compression.wireType(), n * worldSize);
        final INDArray scratch = Nd4j.zeros(DataType.FLOAT, Math.min(n, perBucket));

        lengths = new int[count];
        gradientViews = new INDArray[count];
        scratchViews = new INDArray[count];
        gatheredViews = new INDArray[count][worldSize];
        sendBuffers = new UnsafeBuffer[count];
        gatherBuffers = new UnsafeBuffer[count];
        for (int b = 0; b < count; b++)
        {
            final long start = (long)b * perBucket;
            final long end = Math.min(n, start + perBucket);
            final int length = (int)(end - start);
            lengths[b] = length;
            gradientViews[b] = this.gradient.get(NDArrayIndex.interval(start, end));
            scratchViews[b] = scratch.get(NDArrayIndex.interval(0, length));
            sendBuffers[b] = ArrayBridge.wrap(encoded.get(NDArrayIndex.interval(start, end)));
            // Bucket b of every rank lies back to back: [rank 0 | rank 1 | ...], as allgather writes it.
            final long blockStart = start * worldSize;
            final INDArray block = gathered.get(NDArrayIndex.interval(blockStart, blockStart + (long)length * worldSize));
            gatherBuffers[b] = ArrayBridge.wrap(block);
            for (int r = 0; r < worldSize; r++)
            {
                gatheredViews[b][r] = block.get(NDArrayIndex.interval((long)r * length, (long)(r + 1) * length));
            }
        }
    }

    public Compression compression()
    {
        return compression;
    }

    public int worldSize()
    {
        return worldSize;
    }

    public int buckets()
    {
        return lengths.length;
    }

    /** Elements in bucket {@code b}. */
    public int length(final int b)
    {
        return lengths[b];
    }

    /** This rank's encoded bucket {@code b}: {@code length(b) * wireBytes} bytes to send. */
    public UnsafeBuffer sendBuffer(final int b)
    {
        return sendBuffers[b];
    }

    public int sendBytes(final int b)
    {
        return lengths[b] * compression.wireBytes();
    }

    /** Where all ranks' bucket {@code b} lands: {@code worldSize * sendBytes(b)} bytes, rank r at r * sendBytes(b). */
    public UnsafeBuffer gatherBuffer(final int b)
    {
        return gatherBuffers[b];
    }

    /** Adds the carried rounding error to the gradient, encodes it and keeps the new rounding error. */
    public void encode()
    {
        gradient.addi(residual);
        encoded.assign(gradient);
        residual.assign(encoded);
        residual.rsubi(gradient);
    }

    /** Writes the float32 sum of all ranks' decoded bucket {@code b}, in rank order, into the gradient. */
    public void decodeSum(final int b)
    {
        final INDArray target = gradientViews[b];
        final INDArray scratch = scratchViews[b];
        final INDArray[] parts = gatheredViews[b];
        target.assign(parts[0]);
        for (int r = 1; r < worldSize; r++)
        {
            scratch.assign(parts[r]);
            target.addi(scratch);
        }
    }

    public void decodeSum()
    {
        for (int b = 0; b < lengths.length; b++)
        {
            decodeSum(b);
        }
    }

    /** The carried rounding error (read-only use: checkpoints and tests). */
    public INDArray residual()
    {
        return residual;
    }

    /** Drops the carried error, e.g. after a skipped step whose gradient was not finite. */
    public void resetResidual()
    {
        residual.assign(0);
    }
}
