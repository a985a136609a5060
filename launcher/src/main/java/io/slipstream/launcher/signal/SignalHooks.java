package io.slipstream.launcher.signal;

import io.slipstream.trainer.model.RunHooks;

import java.util.function.BooleanSupplier;

/** The trainer's {@link RunHooks} answered by the launcher's stop flag. */
public final class SignalHooks implements RunHooks
{
    private final BooleanSupplier stop;

    public SignalHooks(final BooleanSupplier stop)
    {
        this.stop = stop;
    }

    @Override
    public boolean stopRequested()
    {
        return stop.getAsBoolean();
    }
}
