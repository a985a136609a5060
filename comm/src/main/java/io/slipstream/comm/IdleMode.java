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
        // Spin briefly (a peer on another core answers a small message within ~0.5 µs), then yield: when another
        // busy thread shares the host, the peer is often waiting for this very core, and every spin before the
        // first yield is added to its latency (200 spins measured 25-30 µs per 8 B allreduce, 10 spins 6 µs, on a
        // quiet core both 0.2-0.5 µs). A yield with nothing else runnable costs under a microsecond. Park last and
        // briefly: parkNanos sleeps ~50 µs on Linux whatever it is asked. BUSY_SPIN is for a core per rank.
        return new BackoffIdleStrategy(10, 5_000, 1_000, 50_000);
    }

    /**
     * For the embedded driver's single agent, in both modes: it runs all the time, and a third spinning thread on a
     * two-core host stalls everything (on 2 cores, three busy-spinning threads stalled a job for over a
     * minute). IPC data never passes through it, but IPC publishers may only run
     * a window ahead of their subscribers and the driver's conductor moves that window, so it must not sleep long.
     */
    public IdleStrategy newDriverStrategy()
    {
        return new BackoffIdleStrategy(100, 1_000, 1_000, 100_000);
    }
}
