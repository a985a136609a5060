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
        // Spin briefly, yield, then park up to 100 µs: a waiting rank gives its core back on a loaded host.
        return new BackoffIdleStrategy(64, 64, 1_000, 100_000);
    }
}
