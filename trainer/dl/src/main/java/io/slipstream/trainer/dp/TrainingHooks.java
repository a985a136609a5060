package io.slipstream.trainer.dp;

import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.data.ShardAssignment;
import io.slipstream.trainer.model.RunHooks;
import io.slipstream.trainer.state.TrainingState;

import java.util.Optional;

/**
 * The services a step-wise (data-parallel) fit reports to besides the stop request: training options, the shard
 * plan, step reports and checkpoints. The trainer defines them; the launcher implements them (where files go).
 * Every method has a default, so {@link #of} of plain {@link RunHooks} trains with no files, no checkpoints and
 * the default shard plan.
 */
public interface TrainingHooks extends RunHooks
{
    /** {@code hooks} itself when it is training hooks, else training hooks with defaults that stop when it does. */
    static TrainingHooks of(final RunHooks hooks)
    {
        if (hooks instanceof TrainingHooks training)
        {
            return training;
        }
        return new TrainingHooks()
        {
            @Override
            public boolean stopRequested()
            {
                return hooks.stopRequested();
            }
        };
    }

    /** Exchange, thread and reporting settings from the job spec. */
    default TrainingOptions trainingOptions()
    {
        return TrainingOptions.DEFAULT;
    }

    /** Which samples each rank reads per epoch (the launcher's shard plan). */
    default ShardAssignment shardAssignment(final int datasetSize, final int worldSize, final long seed)
    {
        return new InterleavedShards(datasetSize, worldSize, seed);
    }

    /**
     * Which rows of {@code data} each rank reads per epoch, for plans that look at the rows (a partition by a
     * key column). Defaults to the plan by size.
     */
    default ShardAssignment shardAssignment(final Dataset data, final int worldSize, final long seed)
    {
        return shardAssignment(data.size(), worldSize, seed);
    }

    /** Called on every rank after every {@code metricsEvery}-th step and the last step of each epoch. */
    default void onStep(final StepReport report)
    {
    }

    /** True when checkpoints are kept; the trainer then builds states at the cadence below. */
    default boolean checkpointsEnabled()
    {
        return false;
    }

    /** Checkpoint every N applied steps (0: only when stopping and at the end of the run). */
    default int checkpointEverySteps()
    {
        return 0;
    }

    /**
     * Called on rank 0 of the fit's group only, at a step boundary. Returns false when the checkpoint
     * could not be written and the configured policy is to stop; every rank then stops. One run may hold
     * several fits (the folds of a search): {@code state.seed()} tells them apart, so keep them apart.
     */
    default boolean saveCheckpoint(final TrainingState state)
    {
        return true;
    }

    /** Called on rank 0 of the fit's group only, before training: the newest valid checkpoint of fit {@code seed}. */
    default Optional<TrainingState> latestCheckpoint(final long seed)
    {
        return Optional.empty();
    }
}
