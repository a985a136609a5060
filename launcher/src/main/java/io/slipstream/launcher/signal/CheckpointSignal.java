package io.slipstream.launcher.signal;

import sun.misc.Signal;

/**
 * Routes SIGUSR1 (SLURM's "time is nearly up", or a user asking for a checkpoint) to a callback instead of
 * ending the JVM, for a process that passes the request on rather than checkpointing itself.
 */
public final class CheckpointSignal
{
    private CheckpointSignal()
    {
    }

    public static void route(final Runnable onSignal)
    {
        Signal.handle(new Signal("USR1"), signal -> onSignal.run());
    }
}
