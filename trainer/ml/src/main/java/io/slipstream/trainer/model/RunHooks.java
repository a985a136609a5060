package io.slipstream.trainer.model;

/**
 * What a fit listens to while it runs, whatever the family: a stop request, and which fit is starting. The trainer defines it; the launcher
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

    /**
     * Called on every rank of the fit's group just before a fit starts, so what the fit reports (progress,
     * metrics) can say which fit it is. A rank runs its fits one after another, so the latest call names the
     * fit whose steps follow.
     */
    default void fitStarting(final FitId fit)
    {
    }
}
