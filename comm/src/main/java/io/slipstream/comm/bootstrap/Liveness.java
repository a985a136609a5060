package io.slipstream.comm.bootstrap;

import java.time.Duration;

/**
 * How often ranks and the coordinator say they are alive, and how long a silence means a rank is gone, both from
 * rank 0's deadline (the coordinator tells every rank at its join). A rank that computes for hours still
 * heartbeats from its control thread; one that is stopped (SIGSTOP), hung in the kernel or cut off falls silent
 * and is named within the deadline. The silence allowed is three quarters of the deadline and at least four
 * periods, so one late beat on a loaded host is not a death.
 *
 * @param periodMs  between two heartbeats.
 * @param timeoutMs the silence after which the other side is taken for gone.
 */
public record Liveness(int periodMs, int timeoutMs)
{
    private static final int MIN_PERIOD_MS = 50;
    private static final int MAX_PERIOD_MS = 1_000;

    /** The heartbeat period and silence limit for a job whose deadline is {@code deadline}. */
    public static Liveness forDeadline(final Duration deadline)
    {
        final long deadlineMs = Math.max(1, deadline.toMillis());
        final int period = (int)Math.max(MIN_PERIOD_MS, Math.min(MAX_PERIOD_MS, deadlineMs / 8));
        final long timeout = Math.max(deadlineMs * 3 / 4, 4L * period);
        return new Liveness(period, (int)Math.min(Integer.MAX_VALUE, timeout));
    }
}
