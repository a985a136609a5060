package io.slipstream.trainer.model;

/**
 * What a fit listens to while it runs, whatever the family: a stop request. The trainer defines it; the launcher
 * implements it (which signal stops a run). Families that train in steps ask for more through
 * the training hooks the data-parallel module defines; every method has a default, so {@link #NONE} never stops.
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
}
