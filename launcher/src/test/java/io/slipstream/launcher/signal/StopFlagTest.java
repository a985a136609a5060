package io.slipstream.launcher.signal;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StopFlagTest
{
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logged, true);
    private final BlockingQueue<Integer> exits = new ArrayBlockingQueue<>(4);

    private StopFlag flag(final long graceNanos)
    {
        return new StopFlag(log, graceNanos, exits::add);
    }

    @Test
    void termOnAJobThatNeverPollsExitsAtOnce() throws InterruptedException
    {
        final StopFlag flag = flag(TimeUnit.HOURS.toNanos(1));
        flag.onSignal("TERM", 15);
        assertEquals(143, exits.poll(10, TimeUnit.SECONDS));
        assertTrue(logged.toString().contains("does not checkpoint"));
    }

    @Test
    void usr1OnAJobThatNeverPollsOnlyLogs() throws InterruptedException
    {
        final StopFlag flag = flag(TimeUnit.HOURS.toNanos(1));
        flag.onSignal("USR1", 10);
        assertNull(exits.poll(200, TimeUnit.MILLISECONDS));
        assertFalse(flag.getAsBoolean());
        assertTrue(logged.toString().contains("keeps running"));
    }

    @Test
    void aPollingJobGetsTheFlagThenASecondTermExits() throws InterruptedException
    {
        final StopFlag flag = flag(TimeUnit.HOURS.toNanos(1));
        assertFalse(flag.getAsBoolean());
        flag.onSignal("TERM", 15);
        assertTrue(flag.getAsBoolean());
        assertEquals("SIGTERM", flag.reason());
        assertNull(exits.poll(200, TimeUnit.MILLISECONDS), "the job gets its grace to checkpoint");
        flag.onSignal("TERM", 15);
        assertEquals(143, exits.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void aJobThatDoesNotStopWithinTheGraceIsEnded() throws InterruptedException
    {
        final StopFlag flag = flag(TimeUnit.MILLISECONDS.toNanos(100));
        flag.getAsBoolean();
        flag.onSignal("USR1", 10);
        assertTrue(flag.getAsBoolean());
        assertEquals(143, exits.poll(10, TimeUnit.SECONDS));
        assertTrue(logged.toString().contains("did not stop within"));
    }

    @Test
    void aRealSigusr1SetsTheFlag() throws Exception
    {
        final StopFlag flag = StopFlag.install(log, TimeUnit.HOURS.toNanos(1));
        assertFalse(flag.getAsBoolean());
        final Process kill = new ProcessBuilder("kill", "-USR1", Long.toString(ProcessHandle.current().pid())).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!flag.getAsBoolean() && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertTrue(flag.getAsBoolean());
        assertEquals("SIGUSR1", flag.reason());
    }

    @Test
    void exitCodesAreDescribed()
    {
        assertEquals("status 137 (killed by SIGKILL)", ExitCode.describe(137));
        assertEquals("status 3 (checkpointed and stopped)", ExitCode.describe(ExitCode.CHECKPOINTED_AND_STOPPED));
        assertTrue(new SignalHooks(() -> true).stopRequested());
    }
}
