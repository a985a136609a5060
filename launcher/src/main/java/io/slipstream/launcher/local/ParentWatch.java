package io.slipstream.launcher.local;

import io.slipstream.launcher.signal.ExitCode;
import io.slipstream.launcher.signal.StopFlag;

import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A rank started by {@code slipstream local} ends itself when its launcher is gone (even by kill -9,
 * which the launcher cannot see coming): it polls its parent pid and exits when it changes. Exiting
 * runs the shutdown hooks, so the rank's shared memory is released.
 */
public final class ParentWatch
{
    public static final String PARENT_PID = "SLIPSTREAM_PARENT_PID";
    private static final long POLL_MILLIS = 250;

    private ParentWatch()
    {
    }

    /** Starts a daemon watcher when {@code SLIPSTREAM_PARENT_PID} is set; returns whether it did. */
    public static boolean startIfAsked(final Map<String, String> env, final PrintStream log, final StopFlag.Exit exit)
    {
        final String value = env.get(PARENT_PID);
        if (value == null || value.isEmpty())
        {
            return false;
        }
        final long expected;
        try
        {
            expected = Long.parseLong(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            log.println(PARENT_PID + "='" + value + "' is not a pid; this rank will not follow its launcher");
            return false;
        }
        final Thread watcher = new Thread(() ->
        {
            while (parentPid().orElse(-1L) == expected)
            {
                try
                {
                    TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
            }
            log.println("the launcher (pid " + expected + ") is gone; this rank stops");
            exit.exit(ExitCode.FAILED);
        }, "slipstream-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
        return true;
    }

    private static Optional<Long> parentPid()
    {
        return ProcessHandle.current().parent().map(ProcessHandle::pid);
    }
}
