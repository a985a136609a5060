package io.slipstream.comm.bootstrap;

import java.util.HashSet;
import java.util.Set;

/**
 * Answers a rank that has waited long in a collective: which members have not reached it, and whether any of them
 * is alive and busy. A member is busy when it is heard from within the liveness limit and is computing (not in a
 * collective), or is in a collective waiting for a rank that is itself busy; a chain of waits that comes back to
 * where it started is a deadlock, not work. A wait for a busy rank is no failure, however long the work takes;
 * a wait for ranks that are gone, silent or stuck is.
 */
final class StallInspector
{
    private final MemberTable table;
    private final long timeoutNanos;

    StallInspector(final MemberTable table, final long timeoutNanos)
    {
        this.table = table;
        this.timeoutNanos = timeoutNanos;
    }

    /** The answer to {@code query} from rank {@code asker} at {@code nowNanos}. */
    ControlMessages.StallAnswer answer(final int asker, final ControlMessages.StallQuery query, final long nowNanos)
    {
        table.seen(asker, query.commId(), query.seq());
        final StringBuilder missing = new StringBuilder();
        final StringBuilder detail = new StringBuilder();
        boolean working = false;
        for (final int member : query.members())
        {
            if (table.reached(member, query.commId(), query.seq()))
            {
                continue;
            }
            final Set<Integer> visited = new HashSet<>();
            visited.add(asker);
            final boolean busy = busy(member, nowNanos, visited);
            working |= busy;
            missing.append(missing.length() == 0 ? "" : ", ").append(member);
            detail.append(detail.length() == 0 ? "" : "; ").append("rank ").append(member).append(' ')
                .append(describe(member, nowNanos));
        }
        return new ControlMessages.StallAnswer(query.commId(), query.seq(), working, missing.toString(),
            detail.toString());
    }

    private boolean busy(final int rank, final long nowNanos, final Set<Integer> visited)
    {
        final long silent = table.silentNanos(rank, nowNanos);
        final ControlMessages.Heartbeat beat = table.heartbeatOf(rank);
        if (silent < 0 || silent > timeoutNanos || beat == null)
        {
            return false;
        }
        if (!beat.inCollective() || beat.waitingOn() < 0)
        {
            return true;
        }
        return visited.add(beat.waitingOn()) && beat.waitingOn() < table.size() &&
            busy(beat.waitingOn(), nowNanos, visited);
    }

    private String describe(final int rank, final long nowNanos)
    {
        final long silent = table.silentNanos(rank, nowNanos);
        final ControlMessages.Heartbeat beat = table.heartbeatOf(rank);
        if (beat == null)
        {
            return "has not joined";
        }
        if (silent < 0)
        {
            return "has left the job";
        }
        final String label = beat.label().isEmpty() ? "" : " (" + beat.label() + ")";
        if (silent > timeoutNanos)
        {
            return "has been silent for " + silent / 1_000_000 + " ms" + label;
        }
        if (!beat.inCollective())
        {
            return "is working" + (label.isEmpty() ? ", outside collectives" : label);
        }
        return "is in collective #" + beat.seq() + " on communicator " + Integer.toHexString(beat.commId()) +
            (beat.waitingOn() >= 0 ? ", waiting for rank " + beat.waitingOn() : "") + label;
    }
}
