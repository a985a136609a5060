package io.slipstream.comm.bootstrap;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Connections that have not yet proved the job's secret, oldest first. Their number is capped apart from the
 * ranks' slots: when a new one comes in at the cap, the oldest is dropped (a real rank answers within
 * milliseconds, so the oldest is the one that is stalling), and each has a time limit for its whole handshake,
 * however slowly it trickles bytes in.
 *
 * @param <T> the connection.
 */
final class PendingJoins<T>
{
    private final int capacity;
    private final long timeoutNanos;
    private final Map<T, Long> pending = new LinkedHashMap<>();

    PendingJoins(final int capacity, final long timeoutNanos)
    {
        this.capacity = capacity;
        this.timeoutNanos = timeoutNanos;
    }

    /** Admits {@code connection}; returns the oldest one it displaced at the cap, or null. */
    synchronized T admit(final T connection, final long nowNanos)
    {
        T displaced = null;
        if (pending.size() >= capacity)
        {
            final Iterator<T> oldest = pending.keySet().iterator();
            displaced = oldest.next();
            oldest.remove();
        }
        pending.put(connection, nowNanos);
        return displaced;
    }

    /** The connection finished its handshake (or failed it); true if it was still pending. */
    synchronized boolean done(final T connection)
    {
        return pending.remove(connection) != null;
    }

    /** Removes and returns the connections whose handshake has run past its time limit at {@code nowNanos}. */
    synchronized List<T> expired(final long nowNanos)
    {
        final List<T> expired = new ArrayList<>();
        final Iterator<Map.Entry<T, Long>> entries = pending.entrySet().iterator();
        while (entries.hasNext())
        {
            final Map.Entry<T, Long> entry = entries.next();
            if (nowNanos - entry.getValue() <= timeoutNanos)
            {
                break; // oldest first: the rest are younger
            }
            expired.add(entry.getKey());
            entries.remove();
        }
        return expired;
    }

    synchronized int size()
    {
        return pending.size();
    }
}
