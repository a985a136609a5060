package io.slipstream.trainer.data;

/**
 * Which global sample indices each rank reads in each epoch. The launcher's {@code ShardPlan} implements
 * it; the trainer only reads it. Implementations are pure functions of (dataset size, world size,
 * epoch, seed, strategy), so every rank computes the same answer without talking.
 */
public interface ShardAssignment
{
    int worldSize();

    /** Number of samples in the data set the plan covers. */
    int datasetSize();

    /**
     * The samples {@code rank} reads in {@code epoch}, in reading order. Every rank gets the same count
     * (the documented remainder policy makes it so), and the ranks' lists are disjoint.
     */
    int[] samples(int epoch, int rank);
}
