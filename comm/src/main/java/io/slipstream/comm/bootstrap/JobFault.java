package io.slipstream.comm.bootstrap;

import io.slipstream.comm.CollectiveMismatchException;
import io.slipstream.comm.CommException;
import io.slipstream.comm.PeerLostException;

/**
 * The first fault that ends a job for this rank: a peer lost, an abort sent by another rank, or a local failure of
 * the transport. Set from the control-plane reader or Aeron's threads; polled by every waiting collective with one
 * volatile read.
 */
public final class JobFault
{
    private static final int NONE = 0;
    private static final int PEER_LOST = 1;
    private static final int ABORTED = 2;
    private static final int FAILED = 3;
    private static final int ABORTED_ERROR = 4;

    private volatile int kind = NONE;
    private int peer = -1;
    private String message;
    private volatile boolean closing;
    private Thread interruptOnFault;
    private boolean interrupted;

    public boolean isSet()
    {
        return kind != NONE;
    }

    /** After this, connections going away are the expected end of the job, not faults. */
    public void closing()
    {
        closing = true;
    }

    public boolean isClosing()
    {
        return closing;
    }

    /**
     * Until {@link #stopInterrupting()}, the first fault interrupts {@code thread}, so a blocking call made while
     * joining (Aeron waiting on a driver that died with its rank, a retry sleep) ends at once instead of at its own
     * timeout.
     */
    public synchronized void interruptOnFault(final Thread thread)
    {
        interruptOnFault = thread;
        interrupted = false;
        if (kind != NONE)
        {
            wake();
        }
    }

    /** Stops interrupting; true when a fault did interrupt the thread (its interrupt status is then this class's). */
    public synchronized boolean stopInterrupting()
    {
        interruptOnFault = null;
        final boolean wasInterrupted = interrupted;
        interrupted = false;
        return wasInterrupted;
    }

    public synchronized void peerLost(final int lostRank, final String why)
    {
        if (kind == NONE && !closing)
        {
            peer = lostRank;
            message = why;
            kind = PEER_LOST;
            wake();
        }
    }

    /** Another rank (or this one) ended the job: {@code mismatch} when ranks called different collectives. */
    public synchronized void aborted(final int originRank, final String why, final boolean mismatch)
    {
        if (kind == NONE)
        {
            peer = originRank;
            message = why;
            kind = mismatch ? ABORTED : ABORTED_ERROR;
            wake();
        }
    }

    public synchronized void failed(final String why)
    {
        if (kind == NONE && !closing)
        {
            message = why;
            kind = FAILED;
            wake();
        }
    }

    private void wake()
    {
        if (interruptOnFault != null && !interrupted)
        {
            interrupted = true;
            interruptOnFault.interrupt();
        }
    }

    /** Throws the exception this fault means for {@code rank} in {@code operation} #{@code sequence}, if set. */
    public void throwIfSet(final int rank, final String operation, final long sequence)
    {
        if (kind != NONE)
        {
            throw toException(rank, operation, sequence);
        }
    }

    public synchronized CommException toException(final int rank, final String operation, final long sequence)
    {
        switch (kind)
        {
            case PEER_LOST:
                return new PeerLostException(rank, operation, sequence, peer, "rank " + peer + " was lost (" +
                    message + "); the job cannot continue: check rank " + peer + "'s log, then restart or resume");
            case ABORTED:
                return new CollectiveMismatchException(rank, operation, sequence, message);
            case ABORTED_ERROR:
                return new CommException(rank, operation, sequence, "rank " + peer + " aborted the job: " + message);
            case FAILED:
                return new CommException(rank, operation, sequence, message);
            default:
                return null;
        }
    }
}
