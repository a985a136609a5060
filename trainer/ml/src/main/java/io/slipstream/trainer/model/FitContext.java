package io.slipstream.trainer.model;

import io.slipstream.comm.Communicator;

/**
 * What a fit may use besides its data: the group of ranks that runs it together (size 1 for a fit run
 * by one rank), a seed, and the run's hooks (metrics, checkpoints, stop requests).
 */
public record FitContext(Communicator group, long seed, RunHooks hooks)
{
    public FitContext
    {
        if (group == null)
        {
            throw new IllegalArgumentException("group must not be null");
        }
        if (hooks == null)
        {
            throw new IllegalArgumentException("hooks must not be null (use RunHooks.NONE)");
        }
    }

    public FitContext withSeed(final long newSeed)
    {
        return new FitContext(group, newSeed, hooks);
    }
}
