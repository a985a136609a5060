package io.slipstream.trainer.dp;

import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.data.ShardAssignment;
import io.slipstream.trainer.model.FitId;
import io.slipstream.trainer.state.TrainingState;

import java.util.Optional;

/**
 * {@link TrainingHooks} that hand every call to other hooks: extend it and override only what the wrapper adds
 * (progress lines, a signal at a step), so no wrapper forgets a method the inner hooks implement.
 */
public abstract class ForwardingTrainingHooks implements TrainingHooks
{
    private final TrainingHooks inner;

    protected ForwardingTrainingHooks(final TrainingHooks inner)
    {
        this.inner = inner;
    }

    @Override
    public void fitStarting(final FitId fit)
    {
        inner.fitStarting(fit);
    }

    @Override
    public boolean stopRequested()
    {
        return inner.stopRequested();
    }

    @Override
    public TrainingOptions trainingOptions()
    {
        return inner.trainingOptions();
    }

    @Override
    public ShardAssignment shardAssignment(final int datasetSize, final int worldSize, final long seed)
    {
        return inner.shardAssignment(datasetSize, worldSize, seed);
    }

    @Override
    public ShardAssignment shardAssignment(final Dataset data, final int worldSize, final long seed)
    {
        return inner.shardAssignment(data, worldSize, seed);
    }

    @Override
    public void onStep(final StepReport report)
    {
        inner.onStep(report);
    }

    @Override
    public boolean checkpointsEnabled()
    {
        return inner.checkpointsEnabled();
    }

    @Override
    public int checkpointEverySteps()
    {
        return inner.checkpointEverySteps();
    }

    @Override
    public boolean saveCheckpoint(final TrainingState state)
    {
        return inner.saveCheckpoint(state);
    }

    @Override
    public Optional<TrainingState> latestCheckpoint(final long seed)
    {
        return inner.latestCheckpoint(seed);
    }
}
