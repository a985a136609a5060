package io.slipstream.trainer.dp;

/**
 * What one training step did, for metrics sinks and progress bars. One instance is reused for every
 * step (a flyweight, like Aeron's {@code BufferClaim}): read it during the callback, copy what you keep.
 */
public final class StepReport
{
    private int rank;
    private int epoch;
    private int epochs;
    private int stepInEpoch;
    private int stepsInEpoch;
    private long iteration;
    private double loss;
    private long globalSamples;
    private double samplesPerSecond;
    private long commNanos;
    private long stepNanos;
    private long skippedSteps;

    /** Fills the flyweight (the trainer calls it once per reported step); returns this. */
    public StepReport set(
        final int rank,
        final int epoch,
        final int epochs,
        final int stepInEpoch,
        final int stepsInEpoch,
        final long iteration,
        final double loss,
        final long globalSamples,
        final long stepNanos,
        final long commNanos,
        final long skippedSteps)
    {
        this.rank = rank;
        this.epoch = epoch;
        this.epochs = epochs;
        this.stepInEpoch = stepInEpoch;
        this.stepsInEpoch = stepsInEpoch;
        this.iteration = iteration;
        this.loss = loss;
        this.globalSamples = globalSamples;
        this.stepNanos = stepNanos;
        this.samplesPerSecond = stepNanos > 0 ? globalSamples * 1e9 / stepNanos : 0;
        this.commNanos = commNanos;
        this.skippedSteps = skippedSteps;
        return this;
    }

    public int rank()
    {
        return rank;
    }

    public int epoch()
    {
        return epoch;
    }

    public int epochs()
    {
        return epochs;
    }

    /** 1-based step within the epoch. */
    public int stepInEpoch()
    {
        return stepInEpoch;
    }

    /** Steps in the epoch; -1 when unknown (online streams). */
    public int stepsInEpoch()
    {
        return stepsInEpoch;
    }

    public long iteration()
    {
        return iteration;
    }

    public double loss()
    {
        return loss;
    }

    public long globalSamples()
    {
        return globalSamples;
    }

    public double samplesPerSecond()
    {
        return samplesPerSecond;
    }

    public long commNanos()
    {
        return commNanos;
    }

    public long stepNanos()
    {
        return stepNanos;
    }

    public long skippedSteps()
    {
        return skippedSteps;
    }
}
