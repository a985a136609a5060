package io.slipstream.comm.transport;

import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;

/**
 * Recursive doubling for small reductions and the barrier: log2(n) exchanges of the whole vector with partners at
 * doubling distances. A size that is not a power of two folds its first 2r ranks into pairs: the even rank of a
 * pair hands its vector to the odd one before the exchanges and gets the result back after. Received vectors are
 * reduced in with both operands ordered by rank, so partners compute the same bits.
 */
final class RecursiveDoubling implements CollectiveAlgorithm, ControlledFragmentHandler
{
    private static final int FRAGMENT_LIMIT = 16;
    /** Two fold-in steps plus one exchange per bit of a 32-bit rank. */
    private static final int MAX_STEPS = 40;

    private final DataLinks links;
    private final CollectiveCall call;
    private final CommMembers members;
    private final FrameSender sender;
    private final FrameReceiver receiver;
    private final int chunkBytes;
    private final EvenChunks chunks = new EvenChunks();
    private final int[] stepPeer = new int[MAX_STEPS];
    private final boolean[] stepSends = new boolean[MAX_STEPS];
    private final boolean[] stepReceives = new boolean[MAX_STEPS];
    private final boolean[] stepReduces = new boolean[MAX_STEPS];
    private int steps;
    private int step;
    private int peer;
    private boolean reduce;
    private boolean srcFirst;
    private int sent;
    private int received;

    RecursiveDoubling(
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

    /** Plans the exchanges of the current call and starts the first. */
    RecursiveDoubling start()
    {
        chunks.plan(call.count * call.elementSize, call.elementSize, chunkBytes);
        final int n = members.size();
        final int me = members.me();
        steps = 0;
        int pow = 1;
        while (pow * 2 <= n)
        {
            pow *= 2;
        }
        final int rem = n - pow;
        if (me < 2 * rem && (me & 1) == 0)
        {
            plan(me + 1, true, false, false);
            plan(me + 1, false, true, false);
        }
        else
        {
            final int newRank;
            if (me < 2 * rem)
            {
                plan(me - 1, false, true, true);
                newRank = me / 2;
            }
            else
            {
                newRank = me - rem;
            }
            for (int mask = 1; mask < pow; mask <<= 1)
            {
                final int partnerNew = newRank ^ mask;
                plan(partnerNew < rem ? partnerNew * 2 + 1 : partnerNew + rem, true, true, true);
            }
            if (me < 2 * rem)
            {
                plan(me - 1, true, false, false);
            }
        }
        step = -1;
        nextStep();
        return this;
    }

    private void plan(final int commPeer, final boolean sends, final boolean receives, final boolean reduces)
    {
        stepPeer[steps] = commPeer;
        stepSends[steps] = sends;
        stepReceives[steps] = receives;
        stepReduces[steps] = reduces;
        steps++;
    }

    private void nextStep()
    {
        step++;
        if (step < steps)
        {
            final int commPeer = stepPeer[step];
            peer = members.worldRankOf(commPeer);
            reduce = stepReduces[step] && call.type != null;
            srcFirst = commPeer < members.me();
            sent = stepSends[step] ? 0 : chunks.chunks();
            received = stepReceives[step] ? 0 : chunks.chunks();
        }
    }

    @Override
    public int doWork()
    {
        final int total = chunks.chunks();
        int work = 0;
        while (sent < total && sender.send(peer, sent, call.base + chunks.start(sent), chunks.length(sent)))
        {
            sent++;
            work++;
        }
        if (received < total)
        {
            work += links.poll(peer, this, FRAGMENT_LIMIT);
        }
        if (sent == total && received == total)
        {
            nextStep();
            work++;
        }
        return work;
    }

    @Override
    public boolean isDone()
    {
        return step >= steps;
    }

    @Override
    public String progress()
    {
        final int total = chunks.chunks();
        return "exchange " + (step + 1) + " of " + steps + ": received " + received + " of " + total +
            " chunks from rank " + members.describe(peer) + ", sent " + sent + " of " + total + " to rank " +
            members.describe(peer);
    }

    @Override
    public int waitingOn()
    {
        return step < steps && received < chunks.chunks() ? peer : -1;
    }

    @Override
    public Action onFragment(final DirectBuffer frame, final int offset, final int length, final Header header)
    {
        final int index = received;
        if (index >= chunks.chunks())
        {
            return Action.ABORT; // the peer is already on its next exchange or collective; that frame waits
        }
        if (reduce && index >= sent)
        {
            return Action.ABORT; // reduce into this chunk only after this rank's own copy has been sent
        }
        final int expected = chunks.length(index);
        final int verdict = receiver.check(frame, offset, length, peer, index, expected);
        if (verdict != FrameReceiver.ACCEPT)
        {
            return verdict == FrameReceiver.DROP ? Action.CONTINUE : Action.BREAK;
        }
        receiver.deliver(frame, offset, expected, call.base + chunks.start(index), reduce, srcFirst);
        received = index + 1;
        return received == chunks.chunks() ? Action.BREAK : Action.CONTINUE;
    }
}
