package io.slipstream.comm.bootstrap;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The coordinator's view of the job: which ranks have joined (a slot is taken only by a rank that proved the
 * secret), which have left, the bootstrap rounds being gathered, and what each rank last said in its heartbeat:
 * when, its activity, and the furthest collective it has been seen at on each communicator. No sockets or threads:
 * the {@link Coordinator} feeds it and acts on what it answers.
 */
final class MemberTable
{
    private static final int MAX_COMMUNICATORS = 4096;

    private final int size;
    private final Member[] members;
    private final Map<Integer, byte[][]> rounds = new HashMap<>();
    private final Map<Integer, Integer> roundCounts = new HashMap<>();
    private final Map<Integer, long[]> furthestSeq = new HashMap<>();

    /** A joined rank: where to write to it, and what it last said. */
    static final class Member
    {
        final Closeable connection;
        final DataOutputStream out;
        boolean left;
        long lastHeardNanos;
        ControlMessages.Heartbeat heartbeat = new ControlMessages.Heartbeat("", false, 0, 0, -1);

        Member(final Closeable connection, final DataOutputStream out, final long joinedNanos)
        {
            this.connection = connection;
            this.out = out;
            this.lastHeardNanos = joinedNanos;
        }
    }

    MemberTable(final int size)
    {
        this.size = size;
        this.members = new Member[size];
    }

    int size()
    {
        return size;
    }

    /**
     * Gives {@code rank}'s slot to {@code member} and runs {@code welcome} (which tells it so) while no other thread
     * can write to it; false, and no welcome, if the rank has already joined.
     */
    synchronized boolean join(final int rank, final Member member, final IoAction welcome) throws IOException
    {
        if (members[rank] != null)
        {
            return false;
        }
        welcome.run();
        members[rank] = member;
        return true;
    }

    /** An action that may fail with an IOException. */
    interface IoAction
    {
        void run() throws IOException;
    }

    /**
     * Rank {@code rank}'s entry of round {@code round}; returns the whole table, encoded for every rank, when it
     * is the last entry, else null.
     */
    synchronized byte[] onRound(final int rank, final int round, final byte[] entry) throws IOException
    {
        final byte[][] entries = rounds.computeIfAbsent(round, (k) -> new byte[size][]);
        if (entries[rank] != null)
        {
            throw new IOException("rank " + rank + " sent round " + round + " twice");
        }
        entries[rank] = entry;
        final int count = roundCounts.merge(round, 1, Integer::sum);
        if (count < size)
        {
            return null;
        }
        rounds.remove(round);
        roundCounts.remove(round);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(round);
        out.writeInt(size);
        for (final byte[] e : entries)
        {
            out.writeInt(e.length);
            out.write(e);
        }
        return bytes.toByteArray();
    }

    /** Records rank {@code rank}'s heartbeat, heard at {@code nowNanos}. */
    synchronized void heard(final int rank, final ControlMessages.Heartbeat beat, final long nowNanos)
    {
        final Member member = members[rank];
        if (member != null)
        {
            member.lastHeardNanos = nowNanos;
            member.heartbeat = beat;
            if (beat.seq() > 0)
            {
                seen(rank, beat.commId(), beat.seq());
            }
        }
    }

    /** Rank {@code rank} is known to have reached collective {@code seq} of {@code commId}. */
    synchronized void seen(final int rank, final int commId, final long seq)
    {
        long[] furthest = furthestSeq.get(commId);
        if (furthest == null)
        {
            if (furthestSeq.size() >= MAX_COMMUNICATORS)
            {
                return;
            }
            furthest = new long[size];
            furthestSeq.put(commId, furthest);
        }
        furthest[rank] = Math.max(furthest[rank], seq);
    }

    /** Whether rank {@code rank} has been seen at collective {@code seq} of {@code commId} or past it. */
    synchronized boolean reached(final int rank, final int commId, final long seq)
    {
        final long[] furthest = furthestSeq.get(commId);
        return furthest != null && furthest[rank] >= seq;
    }

    /** Rank {@code rank}'s last heartbeat, or null if it has not joined. */
    synchronized ControlMessages.Heartbeat heartbeatOf(final int rank)
    {
        return members[rank] == null ? null : members[rank].heartbeat;
    }

    /** How long rank {@code rank} has been silent at {@code nowNanos}, or -1 if it has not joined or has left. */
    synchronized long silentNanos(final int rank, final long nowNanos)
    {
        final Member member = members[rank];
        return member == null || member.left ? -1 : nowNanos - member.lastHeardNanos;
    }

    /** Rank {@code rank} left at the job's end; its connection closing is then no death. */
    synchronized void left(final int rank)
    {
        members[rank].left = true;
    }

    /** Marks {@code rank} gone; true the first time (the others must then be told), false if it had left. */
    synchronized boolean gone(final int rank)
    {
        final boolean wasLeft = members[rank].left;
        members[rank].left = true;
        return !wasLeft;
    }

    synchronized boolean allLeft()
    {
        for (final Member member : members)
        {
            if (member != null && !member.left)
            {
                return false;
            }
        }
        return true;
    }

    /** The joined members that have not left, indexed by rank (null elsewhere). */
    synchronized Member[] present()
    {
        final Member[] present = new Member[size];
        for (int r = 0; r < size; r++)
        {
            present[r] = members[r] != null && !members[r].left ? members[r] : null;
        }
        return present;
    }

    /** Every joined member, left or not, for closing. */
    synchronized Member[] all()
    {
        return members.clone();
    }

    /**
     * Which ranks hold up round {@code round}: those that have not joined, those whose connection closed, and
     * those joined but not yet at it; for the error of a bootstrap round that missed its deadline.
     */
    synchronized String missingFrom(final int round)
    {
        final byte[][] entries = rounds.get(round);
        final StringBuilder notJoined = new StringBuilder();
        final StringBuilder gone = new StringBuilder();
        final StringBuilder behind = new StringBuilder();
        for (int r = 0; r < size; r++)
        {
            final StringBuilder list = members[r] == null ? notJoined : members[r].left ? gone :
                entries == null || entries[r] == null ? behind : null;
            if (list != null)
            {
                list.append(list.length() == 0 ? "" : ", ").append(r);
            }
        }
        final StringBuilder text = new StringBuilder();
        if (notJoined.length() > 0)
        {
            text.append("rank(s) ").append(notJoined).append(" have not joined (check that they started, have " +
                "this job's secret and id, and can reach rank 0's coordinator port; their logs say why)");
        }
        if (gone.length() > 0)
        {
            text.append(text.length() == 0 ? "" : "; ").append("rank(s) ").append(gone)
                .append(" joined but their connection closed (check their logs)");
        }
        if (behind.length() > 0)
        {
            text.append(text.length() == 0 ? "" : "; ").append("rank(s) ").append(behind)
                .append(" joined but have not reached this step");
        }
        return text.toString();
    }
}
