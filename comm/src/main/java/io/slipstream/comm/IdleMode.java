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
        // Spin ~5 µs (a peer on another core answers a small message within that), then yield: with more ranks
        // than cores the peer may need this very core, and spinning longer measured 10-40x slower there. Park last
        // and briefly: parkNanos sleeps ~50 µs on Linux whatever it is asked. BUSY_SPIN is for a core per rank.
        return new BackoffIdleStrategy(200, 5_000, 1_000, 50_000);
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
