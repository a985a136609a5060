package io.slipstream.launcher.signal;

import sun.misc.Signal;

import java.util.function.IntConsumer;

/** Routes SIGINT and SIGTERM to a callback (given the signal number) instead of ending the JVM. */
public final class TerminationSignals
{
    private TerminationSignals()
    {
    }

    public static void route(final IntConsumer onSignal)
    {
        Signal.handle(new Signal("INT"), signal -> onSignal.accept(signal.getNumber()));
        Signal.handle(new Signal("TERM"), signal -> onSignal.accept(signal.getNumber()));
    }
}
