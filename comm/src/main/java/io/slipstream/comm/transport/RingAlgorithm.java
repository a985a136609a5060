package io.slipstream.comm.transport;

import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;

/**
 * The chunked, pipelined ring ({@link RingSchedule}): each rank sends to the next and receives from the previous,
 * reducing during the first steps (reduce-scatter) and copying during the rest (allgather). A chunk that has just
 * been reduced is the one this rank sends next, so it goes out at once while it is still in cache.
 */
final class RingAlgorithm implements CollectiveAlgorithm, ControlledFragmentHandler
{
    private static final int FRAGMENT_LIMIT = 16;

    private final DataLinks links;
    private final CollectiveCall call;
    private final CommMembers members;
    private final FrameSender sender;
    private final FrameReceiver receiver;
    private final int chunkBytes;
    private final RingSchedule schedule = new RingSchedule();
    private int total;
    private int sent;
    private int received;
    private int sendPeer;
    private int recvPeer;

    RingAlgorithm(
        final DataLinks links, final CollectiveCall call, final CommMembers members, final FrameSender sender,
        final FrameReceiver receiver, final int chunkBytes)
    {
        this.links = links;
        this.call = call;
        this.members = members;
        this.sender = sender;
        this.receiver = receiver;
        this.chunkBytes = chunkBytes;
    }

    /** {@code steps} ring steps over the current call, the first {@code reduceSteps} of them reducing. */
    RingAlgorithm start(final int steps, final int reduceSteps, final int blockBytes)
    {
        final int n = members.size();
        final int me = members.me();
        schedule.plan(n, me, call.count, call.elementSize, blockBytes, steps, reduceSteps, chunkBytes);
        total = schedule.total();
        sent = 0;
        received = 0;
        recvPeer = members.worldRankOf((me - 1 + n) % n);
        sendPeer = members.worldRankOf((me + 1) % n);
        return this;
    }

    @Override
    public int doWork()
    {
        int work = 0;
        while (sent < total && schedule.maySend(sent, received) &&
            sender.send(sendPeer, sent, call.base + schedule.offset(sent, true), schedule.length(sent, true)))
        {
            sent++;
            work++;
        }
        if (received < total)
        {
            work += links.poll(recvPeer, this, FRAGMENT_LIMIT);
        }
        return work;
    }

    @Override
    public boolean isDone()
    {
        return sent == total && received == total;
    }

    @Override
    public String progress()
    {
        return "received " + received + " of " + total + " chunks from rank " + members.describe(recvPeer) +
            ", sent " + sent + " of " + total + " to rank " + members.describe(sendPeer);
    }

    @Override
    public int waitingOn()
    {
        return received < total ? recvPeer : -1;
    }

    @Override
    public Action onFragment(final DirectBuffer frame, final int offset, final int length, final Header header)
    {
        final int index = received;
        if (index >= total)
        {
            return Action.ABORT; // the peer is already on its next collective; that frame waits for it
        }
        if (schedule.mustWait(index, sent))
        {
            return Action.ABORT; // would overwrite a block this rank has not yet sent on; take it later
        }
        final int expected = schedule.length(index, false);
        final int verdict = receiver.check(frame, offset, length, recvPeer, index, expected);
        if (verdict != FrameReceiver.ACCEPT)
        {
            return verdict == FrameReceiver.DROP ? Action.CONTINUE : Action.BREAK;
        }
        final int dstOffset = call.base + schedule.offset(index, false);
        final boolean reduce = schedule.reduces(index);
        receiver.deliver(frame, offset, expected, dstOffset, reduce, false);
        if (reduce && expected > 0)
        {
            forwardReduced(index, dstOffset, expected);
        }
        received = index + 1;
        return received == total ? Action.BREAK : Action.CONTINUE;
    }

    /**
     * The piece just reduced is the very piece this rank sends next (same block, one step on). When it is next in
     * sending order and log space is free, it goes out now rather than read back from the caller's buffer later;
     * otherwise {@link #doWork} sends it as usual.
     */
    private void forwardReduced(final int index, final int dstOffset, final int length)
    {
        final int next = index + schedule.chunks();
        if (next == sent && next < total && sender.send(sendPeer, next, dstOffset, length))
        {
            sent++;
        }
    }
}
