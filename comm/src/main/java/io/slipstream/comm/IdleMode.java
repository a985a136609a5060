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
     * For the embedded driver's single agent: it runs all the time, so it yields less before parking than a rank
     * waiting inside a collective; IPC data never passes through it, UDP data does.
     */
    public IdleStrategy newDriverStrategy()
    {
        if (this == BUSY_SPIN)
        {
            return new BusySpinIdleStrategy();
        }
        return new BackoffIdleStrategy(64, 256, 10_000, 250_000);
    }
}
