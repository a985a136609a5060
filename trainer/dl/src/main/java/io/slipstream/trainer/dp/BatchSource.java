package io.slipstream.trainer.dp;

import org.nd4j.linalg.dataset.DataSet;

/**
 * This rank's batches, epoch by epoch. Positions are global: {@code samplesInEpoch} counts the samples
 * all ranks together have consumed in the epoch, so a source can continue from the same global sample
 * whatever the world size.
 */
public interface BatchSource
{
    /** Epochs this source can give; an online (streaming) source gives exactly one. */
    int epochs();

    /** Positions the source at global sample {@code samplesInEpoch} of {@code epoch}. */
    void startEpoch(int epoch, long samplesInEpoch);

    /** The next local batch, or {@code null} when this rank's data for the epoch is used up. */
    DataSet next();
}
