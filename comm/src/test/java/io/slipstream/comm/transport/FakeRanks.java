package io.slipstream.comm.transport;

import io.slipstream.comm.DataType;
import io.slipstream.comm.ReduceOp;
import org.agrona.BufferUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * n ranks' collective parts wired over {@link MemoryLinks} on one thread: start a call on every rank, then
 * {@link #runAll} calls each rank's {@code doWork()} in turn until all are done, as Aeron's tests drive agents.
 */
final class FakeRanks
{
    static final int JOB_HASH = 0x1234_5678;
    static final int COMM_ID = 0;

    final MemoryLinks links;
    final Rank[] ranks;

    /** One rank's parts. */
    static final class Rank
    {
        final CollectiveCall call = new CollectiveCall(COMM_ID, JOB_HASH);
        final RecordingControl control;
        final CommCounters counters;
        final FrameReceiver receiver;
        final RingAlgorithm ring;
        final RecursiveDoubling doubling;
        final BroadcastTree tree;
        CollectiveAlgorithm running;

        Rank(final int rank, final int n, final DataLinks links, final int chunkBytes, final boolean checksums)
        {
            final int[] world = new int[n];
            for (int r = 0; r < n; r++)
            {
                world[r] = r;
            }
            final CommMembers members = new CommMembers(world, rank, n);
            control = new RecordingControl(rank);
            final CountersManager manager = new CountersManager(
                new UnsafeBuffer(BufferUtil.allocateDirectAligned(256 * 1024, 64)),
                new UnsafeBuffer(BufferUtil.allocateDirectAligned(64 * 1024, 64)));
            counters = new CommCounters(rank, manager);
            final FrameSender sender = new FrameSender(links, call, counters, checksums);
            receiver = new FrameReceiver(call, members, control, counters);
            ring = new RingAlgorithm(links, call, members, sender, receiver, chunkBytes);
            doubling = new RecursiveDoubling(links, call, members, sender, receiver, chunkBytes);
            tree = new BroadcastTree(links, call, members, sender, receiver, chunkBytes);
        }
    }

    FakeRanks(final int n, final int chunkBytes, final int window, final boolean checksums)
    {
        links = new MemoryLinks(n, 4 * 1024 * 1024, window);
        ranks = new Rank[n];
        for (int r = 0; r < n; r++)
        {
            ranks[r] = new Rank(r, n, links.of(r), chunkBytes, checksums);
        }
    }

    int size()
    {
        return ranks.length;
    }

    /** Starts a reduction on rank {@code r} and the algorithm it runs (the ring, or doubling for {@code small}). */
    void startAllreduce(
        final int r, final MutableDirectBuffer buffer, final int count, final DataType type, final ReduceOp op,
        final boolean small)
    {
        final Rank rank = ranks[r];
        rank.call.begin(FrameHeader.OP_ALLREDUCE, buffer, 0, count, type, op, 0, size());
        final int n = size();
        rank.running = small ? rank.doubling.start() : rank.ring.start(2 * (n - 1), n - 1, 0);
    }

    /** Calls every rank's {@code doWork()} in turn until all are done; fails if that takes {@code maxRounds}. */
    int runAll(final int maxRounds)
    {
        int rounds = 0;
        while (!allDone())
        {
            if (++rounds > maxRounds)
            {
                final StringBuilder where = new StringBuilder();
                for (int r = 0; r < size(); r++)
                {
                    where.append("; rank ").append(r).append(": ").append(ranks[r].running.progress());
                }
                fail("no progress after " + maxRounds + " rounds" + where);
            }
            for (final Rank rank : ranks)
            {
                if (!rank.running.isDone())
                {
                    rank.running.doWork();
                    rank.receiver.throwIfFailed();
                }
            }
        }
        return rounds;
    }

    private boolean allDone()
    {
        for (final Rank rank : ranks)
        {
            if (!rank.running.isDone())
            {
                return false;
            }
        }
        return true;
    }
}
