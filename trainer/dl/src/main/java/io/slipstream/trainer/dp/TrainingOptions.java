package io.slipstream.trainer.dp;

/**
 * Run-wide training settings the launcher reads from a job spec's {@code training:} section.
 *
 * @param exchange      how gradients cross the wire.
 * @param threads       ND4J threads per rank (see {@code ComputeThreads}); 0 leaves ND4J's defaults as they are.
 * @param metricsEvery  report every N steps (the last step of an epoch is always reported).
 */
public record TrainingOptions(DataParallelOptions exchange, int threads, int metricsEvery)
{
    public static final TrainingOptions DEFAULT = new TrainingOptions(DataParallelOptions.DEFAULT, 0, 1);

    public TrainingOptions
    {
        if (exchange == null)
        {
            throw new IllegalArgumentException("exchange options must not be null");
        }
        if (threads < 0 || metricsEvery < 1)
        {
            throw new IllegalArgumentException("threads must be >= 0 and metrics_every >= 1, were " + threads + " and " +
                metricsEvery);
        }
    }
}
