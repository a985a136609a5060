package io.slipstream.trainer.data;

/** One cross-validation fold: training and validation row indices, each ascending. */
public record Fold(int[] train, int[] test)
{
}
