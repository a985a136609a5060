package io.slipstream.comm.transport;

import io.slipstream.comm.OneLineLog;
import io.slipstream.comm.CommTimeoutException;
import io.slipstream.comm.bootstrap.StallNote;
import org.agrona.concurrent.IdleStrategy;

import java.lang.System.Logger.Level;

/**
 * Runs a collective's algorithm to completion on the calling thread: calls {@link CollectiveAlgorithm#doWork()}
 * until it is done, idles with the job's strategy while there is nothing to do, and owns the waiting policy.
 *
 * <p>The job's fault (a peer lost: its connection ended or its heartbeats stopped; an abort) ends the wait at
 * once, and a frame's error is thrown. How long a collective waits is not in itself a failure: after half the
 * deadline without progress the rank asks the coordinator who holds it up, and while a rank that has not reached
 * the collective is alive and busy (computing, or waiting for a rank that is) the wait goes on, with one line
 * every half deadline saying who is working on what. Only a deadline without progress in which no such rank is
 * found (every rank has arrived but data does not flow, or the ranks wait on each other) ends the job on every
 * rank with a {@link CommTimeoutException}.
 */
final class ProgressLoop
{
    private static final OneLineLog LOG = OneLineLog.of(ProgressLoop.class);

    private final CollectiveCall call;
    private final CommMembers members;
    private final FrameReceiver receiver;
    private final CollectiveControl control;
    private final CommCounters counters;
    private final IdleStrategy idle;
    private final long deadlineNs;
    private final int worldRank;
    private long lastProgressNs;
    private long lastQueryNs;
    private long lastNoteNs;
    private boolean progressed;
    private boolean stalled;
    private StallNote lastNote;

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

    /** Starts the waiting clock of a new collective. */
    void begin()
    {
        final long now = System.nanoTime();
        lastProgressNs = now;
        lastQueryNs = now;
        lastNoteNs = now;
        progressed = false;
        stalled = false;
        lastNote = null;
        control.entered(call.commId, call.seq);
    }

    /** Runs {@code algorithm} until this rank's part is done; throws the collective's failure. */
    void run(final CollectiveAlgorithm algorithm)
    {
        idle.reset();
        try
        {
            while (!algorithm.isDone())
            {
                if (algorithm.doWork() == 0)
                {
                    idleOrFail(algorithm);
                }
                else
                {
                    progressed = true;
                    receiver.throwIfFailed();
                }
            }
        }
        finally
        {
            control.left();
        }
    }

    /** Ends a collective that had nothing to run (a communicator of one rank). */
    void end()
    {
        control.left();
    }

    private void idleOrFail(final CollectiveAlgorithm algorithm)
    {
        receiver.throwIfFailed();
        control.throwIfFaulted(call.opName(), call.seq);
        final long now = System.nanoTime();
        if (progressed)
        {
            progressed = false;
            lastProgressNs = now;
        }
        control.waitingOn(algorithm.waitingOn());
        final long quiet = now - lastProgressNs;
        if (quiet > deadlineNs / 2)
        {
            askWhoHoldsItUp(algorithm, now);
        }
        if (now - lastProgressNs > deadlineNs)
        {
            throw timeout(algorithm);
        }
        idle.idle();
    }

    private void askWhoHoldsItUp(final CollectiveAlgorithm algorithm, final long now)
    {
        final StallNote note = control.stallNote(call.commId, call.seq);
        if (note != null && note.receivedNanos() - lastQueryNs > 0 && note.receivedNanos() != lastNoteNs)
        {
            lastNoteNs = note.receivedNanos();
            lastNote = note;
            if (note.working())
            {
                // Alive ranks are still working towards this collective: waiting for them is not a failure.
                lastProgressNs = now;
                LOG.log(Level.INFO, "rank " + worldRank + ": " + call.opName() + " #" + call.seq + " waits for " +
                    "work to finish (not a failure): " + note.detail());
                return;
            }
            LOG.log(Level.WARNING, "rank " + worldRank + ": " + call.opName() + " #" + call.seq + " has made no " +
                "progress for " + (now - lastProgressNs) / 1_000_000 + " ms: " + algorithm.progress() + "; " +
                (note.notArrived().isEmpty() ? "every rank has reached it" : note.detail()));
        }
        if (now - lastQueryNs > deadlineNs / 2 || !stalled)
        {
            if (!stalled)
            {
                stalled = true;
                counters.stalled();
            }
            lastQueryNs = now;
            control.reportStall(call.commId, call.seq, call.opName(), members.worldRanks());
        }
    }

    private CommTimeoutException timeout(final CollectiveAlgorithm algorithm)
    {
        final StallNote note = lastNote;
        final int peer = algorithm.waitingOn();
        final String who;
        if (note != null && !note.notArrived().isEmpty())
        {
            who = "rank(s) that have not reached it: " + note.notArrived() + " (" + note.detail() + ")";
        }
        else if (note != null)
        {
            who = "every rank has reached it, but no data came" + (peer >= 0 ? " from rank " +
                members.describe(peer) : "") + ": a data link may be broken (is UDP blocked?)";
        }
        else
        {
            who = "rank(s) not yet heard from: " + (peer >= 0 ? members.describe(peer) : "none") +
                " (the coordinator did not answer)";
        }
        final CommTimeoutException timeout = new CommTimeoutException(worldRank, call.opName(), call.seq,
            "no progress for " + deadlineNs / 1_000_000 + " ms: " + algorithm.progress() + "; " + who +
            ". No rank that has not reached it is working, so this is not a wait for work");
        // The job cannot go on: tell every rank now rather than leave each to find out at its own deadline.
        control.abort(timeout.getMessage(), false, call.opName(), call.seq);
        return timeout;
    }
}
