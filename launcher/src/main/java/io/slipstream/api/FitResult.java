package io.slipstream.api;

/**
 * How a {@link DataParallelNetwork#fit} ended (the same on every rank).
 *
 * @param epochs             epochs this call trained to their end (after a resume, those left to do).
 * @param iteration          updates applied in total, resumed ones included.
 * @param lastLoss           mean loss over all ranks' samples of the last step (NaN when no step ran).
 * @param stoppedEarly       true when early stopping ended training before the last epoch.
 * @param bestValidationLoss the best validation loss seen, or NaN without early stopping.
 */
public record FitResult(int epochs, long iteration, double lastLoss, boolean stoppedEarly, double bestValidationLoss)
{
}
