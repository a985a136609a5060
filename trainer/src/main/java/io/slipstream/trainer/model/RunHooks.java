package io.slipstream.trainer.model;

/**
 * Services a long fit reports to and listens to. The trainer defines them; the launcher implements them
 * (where files go, which signal stops a run).
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
