package io.slipstream.launcher.netfault;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What a driver's {@link ReorderingSendChannelEndpoint}s did: data datagrams sent, those held back, and of those,
 * how many were overtaken by at least one later datagram (reordered) rather than only delayed. Written by the sender
 * thread, read by the test.
 */
final class ReorderCounts
{
    private final AtomicLong dataDatagrams = new AtomicLong();
    private final AtomicLong held = new AtomicLong();
    private final AtomicLong reordered = new AtomicLong();
    private final AtomicLong overtakers = new AtomicLong();

    void onDataDatagram()
    {
        dataDatagrams.incrementAndGet();
    }

    void onHeld()
    {
        held.incrementAndGet();
    }

    /** A held datagram went out after {@code overtakenBy} later ones. */
    void onReleased(final int overtakenBy)
    {
        if (overtakenBy > 0)
        {
            reordered.incrementAndGet();
            overtakers.addAndGet(overtakenBy);
        }
    }

    long dataDatagrams()
    {
        return dataDatagrams.get();
    }

    long held()
    {
        return held.get();
    }

    long reordered()
    {
        return reordered.get();
    }

    /** Datagrams that went out while one was held: the overtaking ones. */
    long overtakers()
    {
        return overtakers.get();
    }
}
