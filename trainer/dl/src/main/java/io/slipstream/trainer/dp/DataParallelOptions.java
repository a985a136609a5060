package io.slipstream.trainer.dp;

import io.slipstream.kernels.Compression;
import io.slipstream.kernels.GradientBuckets;

/**
 * How gradients are exchanged.
 *
 * @param bucketBytes       bytes per allreduce bucket (wire bytes when compressed).
 * @param accumulationSteps local micro-batches whose gradients are summed before one exchange (>= 1).
 * @param compression       what crosses the wire; {@link Compression#NONE} by default.
 */
public record DataParallelOptions(int bucketBytes, int accumulationSteps, Compression compression)
{
    public static final DataParallelOptions DEFAULT =
        new DataParallelOptions(GradientBuckets.DEFAULT_BUCKET_BYTES, 1, Compression.NONE);

    public DataParallelOptions
    {
        if (bucketBytes < 4)
        {
            throw new IllegalArgumentException("bucket_bytes must be >= 4 (one float), was " + bucketBytes);
        }
        if (accumulationSteps < 1)
        {
            throw new IllegalArgumentException("accumulation_steps must be >= 1, was " + accumulationSteps);
        }
        if (compression == null)
        {
            throw new IllegalArgumentException("compression must not be null (use Compression.NONE)");
        }
    }

    public DataParallelOptions withCompression(final Compression newCompression)
    {
        return new DataParallelOptions(bucketBytes, accumulationSteps, newCompression);
    }

    public DataParallelOptions withAccumulationSteps(final int steps)
    {
        return new DataParallelOptions(bucketBytes, steps, compression);
    }

    public DataParallelOptions withBucketBytes(final int bytes)
    {
        return new DataParallelOptions(bytes, accumulationSteps, compression);
    }
}
