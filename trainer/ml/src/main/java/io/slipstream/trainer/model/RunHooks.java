package io.slipstream.trainer.model;

import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.data.ShardAssignment;
import io.slipstream.trainer.dp.InterleavedShards;
import io.slipstream.trainer.dp.StepReport;
import io.slipstream.trainer.dp.TrainingOptions;
import io.slipstream.trainer.state.TrainingState;

import java.util.Optional;

/**
 * Services a long fit reports to and listens to. The trainer defines them; the launcher implements them
 * (where files go, which signal stops a run). Every method has a default, so {@link #NONE} trains
 * with no files, no checkpoints and the default shard plan.
 */
public interface RunHooks
{
    RunHooks NONE = new RunHooks()
    {
    };

    /** True once the user or the scheduler (SIGUSR1/SIGTERM) asked the run to checkpoint and stop. */
    default boolean stopRequested()
    {
        return false;
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
