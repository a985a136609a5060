package io.slipstream.launcher.signal;

import sun.misc.Signal;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Turns SIGUSR1, SIGTERM and SIGINT into a stop request that a training loop polls at each step
 * boundary ({@link #getAsBoolean()}), checkpoints, and exits with
 * {@link ExitCode#CHECKPOINTED_AND_STOPPED}.
 *
 * <p>A job that never polls the flag cannot checkpoint, so for it: SIGTERM/SIGINT exit at once with
 * 128 + signal (shutdown hooks still run and release shared memory), and SIGUSR1 (SLURM's "time is
 * nearly up" warning) is only logged. A job that polls gets {@code graceNanos} after the first request
 * before the process exits anyway; a second SIGTERM/SIGINT exits at once.
 */
public final class StopFlag implements BooleanSupplier
{
    private static final int SIGINT = 2;
    private static final int SIGUSR1 = 10;
    private static final int SIGTERM = 15;

    private final PrintStream log;
    private final long graceNanos;
    private final Exit exit;
    private volatile boolean requested;
    private volatile boolean polled;
    private volatile String reason = "";

    /** What ends the process; {@code System::exit} outside tests. */
    public interface Exit
    {
        void exit(int status);
    }

    public StopFlag(final PrintStream log, final long graceNanos, final Exit exit)
    {
        this.log = log;
        this.graceNanos = graceNanos;
        this.exit = exit;
    }

    /** A flag wired to this process's SIGUSR1, SIGTERM and SIGINT. */
    public static StopFlag install(final PrintStream log, final long graceNanos)
    {
        final StopFlag flag = new StopFlag(log, graceNanos, System::exit);
        flag.handle("USR1", SIGUSR1);
        flag.handle("TERM", SIGTERM);
        flag.handle("INT", SIGINT);
        return flag;
    }

    /** True once a stop was requested. Polling marks the job as one that can checkpoint and stop. */
    @Override
    public boolean getAsBoolean()
    {
        polled = true;
        return requested;
    }

    /** The signal (or caller) that asked to stop, "" while none has. */
    public String reason()
    {
        return reason;
    }

    /** What a signal handler calls; public so a job or a test can request a stop without a signal. */
    public void onSignal(final String name, final int number)
    {
        final boolean terminate = number != SIGUSR1;
        if (!polled)
        {
            if (terminate)
            {
                log.println("SIG" + name + ": this job does not checkpoint; stopping now");
                exitAsync(ExitCode.bySignal(number));
            }
            else
            {
                log.println("SIG" + name + " received: this job does not checkpoint, so it keeps running");
            }
            return;
        }
        if (requested)
        {
            if (terminate)
            {
                log.println("SIG" + name + " again: stopping now without waiting for the checkpoint");
                exitAsync(ExitCode.bySignal(number));
            }
            return;
        }
        reason = "SIG" + name;
        requested = true;
        log.println("SIG" + name + ": will checkpoint at the next step boundary and stop (at most " +
            TimeUnit.NANOSECONDS.toSeconds(graceNanos) + " s)");
        final Thread watchdog = new Thread(() ->
        {
            try
            {
                TimeUnit.NANOSECONDS.sleep(graceNanos);
                log.println("the job did not stop within " + TimeUnit.NANOSECONDS.toSeconds(graceNanos) +
                    " s of SIG" + name + "; stopping now");
                exit.exit(ExitCode.bySignal(number == SIGUSR1 ? SIGTERM : number));
            }
            catch (final InterruptedException ignored)
            {
                Thread.currentThread().interrupt();
            }
        }, "slipstream-stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private void handle(final String name, final int number)
    {
        try
        {
            Signal.handle(new Signal(name), signal -> onSignal(name, number));
        }
        catch (final IllegalArgumentException ex)
        {
            log.println("cannot handle SIG" + name + " here (" + ex.getMessage() + "); stop requests by it are ignored");
        }
    }

    private void exitAsync(final int status)
    {
        // System.exit waits for shutdown hooks; never block the signal dispatcher thread on them.
        final Thread exiter = new Thread(() -> exit.exit(status), "slipstream-exit");
        exiter.setDaemon(true);
        exiter.start();
    }
}
