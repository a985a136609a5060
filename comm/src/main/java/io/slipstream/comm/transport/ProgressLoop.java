package io.slipstream.comm.transport;

import io.slipstream.comm.CommTimeoutException;
import org.agrona.concurrent.IdleStrategy;

import java.lang.System.Logger.Level;

/**
 * Runs a collective's algorithm to completion on the calling thread: calls {@link CollectiveAlgorithm#doWork()}
 * until it is done, idles with the job's strategy while there is nothing to do, and owns the waiting policy:
 * the job's fault ends the wait at once, a frame's error is thrown, a wait past half the deadline is reported to
 * the coordinator (which names the ranks holding it up), and one past the deadline ends the job on every rank.
 */
final class ProgressLoop
{
    private static final System.Logger LOG = System.getLogger(ProgressLoop.class.getName());

    private final CollectiveCall call;
    private final CommMembers members;
    private final FrameReceiver receiver;
    private final CollectiveControl control;
    private final CommCounters counters;
    private final IdleStrategy idle;
    private final long deadlineNs;
    private final int worldRank;
    private long startNs;
    private boolean warned;

    ProgressLoop(
        final CollectiveCall call, final CommMembers members, final FrameReceiver receiver,
        final CollectiveControl control, final CommCounters counters, final IdleStrategy idle, final long deadlineNs)
    {
        this.call = call;
        this.members = members;
        this.receiver = receiver;
        this.control = control;
        this.counters = counters;
        this.idle = idle;
        this.deadlineNs = deadlineNs;
        this.worldRank = members.worldRankOf(members.me());
    }

    /** Starts the deadline of a new collective. */
    void begin()
    {
        startNs = System.nanoTime();
        warned = false;
    }

    /** Runs {@code algorithm} until this rank's part is done; throws the collective's failure. */
    void run(final CollectiveAlgorithm algorithm)
    {
        idle.reset();
        while (!algorithm.isDone())
        {
            if (algorithm.doWork() == 0)
            {
                idleOrFail(algorithm);
            }
            else
            {
                receiver.throwIfFailed();
            }
        }
    }

    private void idleOrFail(final CollectiveAlgorithm algorithm)
    {
        receiver.throwIfFailed();
        control.throwIfFaulted(call.opName(), call.seq);
        final long waited = System.nanoTime() - startNs;
        if (waited > deadlineNs)
        {
            final String notArrived = control.notYetArrived(call.commId, call.seq);
            final int peer = algorithm.waitingOn();
            final CommTimeoutException timeout = new CommTimeoutException(worldRank, call.opName(), call.seq,
                "not finished after " + deadlineNs / 1_000_000 + " ms: " + algorithm.progress() + "; " +
                (notArrived != null ? "rank(s) that have not reached it: " + notArrived :
                "rank(s) not yet heard from: " + (peer >= 0 ? members.describe(peer) : "none")) +
                ". A rank may be stuck, slow or calling another collective; raise the deadline if it is just slow");
            // The job cannot go on: tell every rank now rather than leave each to find out at its own deadline.
            control.abort(timeout.getMessage(), false, call.opName(), call.seq);
            throw timeout;
        }
        if (!warned && waited > deadlineNs / 2)
        {
            warned = true;
            counters.stalled();
            LOG.log(Level.WARNING, "rank " + worldRank + ": " + call.opName() + " #" + call.seq + " has waited " +
                waited / 1_000_000 + " ms: " + algorithm.progress());
            control.reportStall(call.commId, call.seq, call.opName(), members.worldRanks());
        }
        idle.idle();
    }
}
