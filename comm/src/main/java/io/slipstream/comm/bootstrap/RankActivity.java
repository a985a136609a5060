package io.slipstream.comm.bootstrap;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What this rank is doing, as its heartbeats tell the coordinator: the label the program set
 * ({@code Communicator.activity}), and the collective it is in with the rank it waits for. Written by the thread
 * that runs collectives with release stores (no fence on the hot path), read by the heartbeat thread.
 */
public final class RankActivity
{
    private volatile String label = "";
    private final AtomicInteger commId = new AtomicInteger();
    private final AtomicLong seq = new AtomicLong();
    private final AtomicInteger waitingOn = new AtomicInteger(-1);
    private final AtomicInteger inCollective = new AtomicInteger();

    /** What the program says it does ("fit fold 3"); one line, cut to a few dozen characters when sent. */
    public void label(final String text)
    {
        label = text == null ? "" : text;
    }

    public String label()
    {
        return label;
    }

    /** Collective {@code seq} of {@code commId} starts. */
    public void entered(final int comm, final long sequence)
    {
        commId.lazySet(comm);
        seq.lazySet(sequence);
        waitingOn.lazySet(-1);
        inCollective.lazySet(1);
    }

    /** The collective waits for frames from world rank {@code rank} (-1: for none). */
    public void waitingOn(final int rank)
    {
        waitingOn.lazySet(rank);
    }

    /** The collective is over (done or failed). */
    public void left()
    {
        inCollective.lazySet(0);
        waitingOn.lazySet(-1);
    }

    ControlMessages.Heartbeat heartbeat()
    {
        return new ControlMessages.Heartbeat(label, inCollective.get() != 0, commId.get(), seq.get(),
            waitingOn.get());
    }
}
