package io.slipstream.comm;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/** How a rank waits for its peers. Busy spinning only pays when every rank has a core of its own. */
public enum IdleMode
{
    BACKOFF, BUSY_SPIN;

    public IdleStrategy newStrategy()
    {
        if (this == BUSY_SPIN)
        {
            return new BusySpinIdleStrategy();
        }
        // Spin briefly, then yield for a while (a peer's reply usually comes within microseconds, and a yield gives
        // the core to anyone who needs it), then park: parkNanos costs ~50 µs of latency on Linux, so park last.
        return new BackoffIdleStrategy(100, 2_000, 10_000, 200_000);
    }

    /**
     * For the embedded driver's single agent, in both modes: it runs all the time, and a third spinning thread on a
     * two-core host stalls everything (FACTS.md). IPC data never passes through it, but IPC publishers may only run
     * a window ahead of their subscribers and the driver's conductor moves that window, so it must not sleep long.
     */
    public IdleStrategy newDriverStrategy()
    {
        return new BackoffIdleStrategy(100, 1_000, 1_000, 100_000);
    }
}
