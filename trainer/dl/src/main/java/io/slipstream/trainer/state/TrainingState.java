package io.slipstream.trainer.state;

import java.util.Arrays;

/**
 * Everything needed to continue a data-parallel run exactly where it stopped. Arrays are owned copies.
 *
 * @param specHash       SHA-256 of the job spec that produced the run (32 bytes).
 * @param modelTag       what the arrays belong to (family and layer sizes), so a checkpoint of another
 *                       model is refused by name rather than by a size mismatch.
 * @param worldSize      ranks of the run that wrote it.
 * @param seed           the run's seed (shuffles and initialisation are pure functions of it).
 * @param epoch          the epoch in progress.
 * @param iteration      updates applied so far (Adam's bias correction reads it).
 * @param samplesInEpoch global samples of {@code epoch} already consumed: a run with any world size
 *                       continues from this global position of the epoch's order.
 * @param skippedSteps   steps skipped for non-finite gradients so far.
 * @param params         the flat float32 parameters.
 * @param updaterState   the flat float32 updater state (empty for plain SGD).
 */
public record TrainingState(
    byte[] specHash,
    String modelTag,
    int worldSize,
    long seed,
    int epoch,
    long iteration,
    long samplesInEpoch,
    long skippedSteps,
    float[] params,
    float[] updaterState)
{
    public static final int SPEC_HASH_BYTES = 32;

    public TrainingState
    {
        if (specHash == null || specHash.length != SPEC_HASH_BYTES)
        {
            throw new IllegalArgumentException("spec hash must be " + SPEC_HASH_BYTES + " bytes (SHA-256)");
        }
        if (modelTag == null || params == null || updaterState == null)
        {
            throw new IllegalArgumentException("model tag, params and updater state must not be null");
        }
        if (worldSize < 1 || epoch < 0 || iteration < 0 || samplesInEpoch < 0 || skippedSteps < 0)
        {
            throw new IllegalArgumentException("invalid counters: world size " + worldSize + ", epoch " + epoch +
                ", iteration " + iteration + ", samples in epoch " + samplesInEpoch + ", skipped " + skippedSteps);
        }
        specHash = specHash.clone();
    }

    public TrainingState withSpecHash(final byte[] hash)
    {
        return new TrainingState(hash, modelTag, worldSize, seed, epoch, iteration, samplesInEpoch, skippedSteps,
            params, updaterState);
    }

    @Override
    public byte[] specHash()
    {
        return specHash.clone();
    }

    @Override
    public boolean equals(final Object other)
    {
        if (!(other instanceof TrainingState))
        {
            return false;
        }
        final TrainingState that = (TrainingState)other;
        return Arrays.equals(specHash, that.specHash) && modelTag.equals(that.modelTag) &&
            worldSize == that.worldSize && seed == that.seed && epoch == that.epoch && iteration == that.iteration &&
            samplesInEpoch == that.samplesInEpoch && skippedSteps == that.skippedSteps &&
            Arrays.equals(params, that.params) && Arrays.equals(updaterState, that.updaterState);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(specHash) * 31 + Long.hashCode(iteration) * 17 + Arrays.hashCode(params);
    }

    @Override
    public String toString()
    {
        return "TrainingState[" + modelTag + ", world " + worldSize + ", epoch " + epoch + ", iteration " + iteration +
            ", samples in epoch " + samplesInEpoch + ", " + params.length + " params]";
    }
}
