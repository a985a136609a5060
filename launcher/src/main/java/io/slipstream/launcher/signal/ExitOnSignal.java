package io.slipstream.launcher.signal;

import sun.misc.Signal;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * SIGTERM and SIGINT end a {@code slipstream} process from its first moment, whatever it is busy with, until a
 * command routes them itself ({@link StopFlag}, {@link TerminationSignals}): exit 128 + n, so shutdown hooks
 * release shared memory, and a halt if they have not finished within {@link #GRACE_MILLIS}. The thread that
 * exits is started at install time and the handler only releases it, so a signal needs neither a new thread nor
 * the work in progress (a large expansion, a GC-bound heap) to finish first.
 */
public final class ExitOnSignal
{
    /** How long shutdown hooks get before the process halts anyway. */
    public static final long GRACE_MILLIS = 5_000;

    private final Semaphore signalled = new Semaphore(0);
    private volatile int status;

    private ExitOnSignal()
    {
    }

    /** Installs the handlers and starts the waiting exit thread; once per process, in {@code main}. */
    public static void install()
    {
        final ExitOnSignal exit = new ExitOnSignal();
        final Thread halter = new Thread(() -> Runtime.getRuntime().halt(exit.status), "slipstream-halt");
        halter.setDaemon(true);
        final Thread exiter = new Thread(() ->
        {
            exit.signalled.acquireUninterruptibly();
            final Thread watchdog = new Thread(() ->
            {
                sleep(GRACE_MILLIS);
                halter.start();
            }, "slipstream-exit-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            System.exit(exit.status);
        }, "slipstream-exit-on-signal");
        exiter.setDaemon(true);
        exiter.start();
        Signal.handle(new Signal("TERM"), (signal) -> exit.onSignal(signal.getNumber()));
        Signal.handle(new Signal("INT"), (signal) -> exit.onSignal(signal.getNumber()));
    }

    private void onSignal(final int number)
    {
        status = ExitCode.bySignal(number);
        signalled.release();
    }

    private static void sleep(final long millis)
    {
        try
        {
            TimeUnit.MILLISECONDS.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
