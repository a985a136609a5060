package io.slipstream.comm.transport;

import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;

/**
 * A pipelined binomial tree rooted at the call's root: each rank receives chunks from its parent and passes each
 * on to its children as soon as it has it.
 */
final class BroadcastTree implements CollectiveAlgorithm, ControlledFragmentHandler
{
    private static final int FRAGMENT_LIMIT = 16;
    private static final int MAX_CHILDREN = 32;

    private final DataLinks links;
    private final CollectiveCall call;
    private final CommMembers members;
    private final FrameSender sender;
    private final FrameReceiver receiver;
    private final int chunkBytes;
    private final EvenChunks chunks = new EvenChunks();
    private final int[] children = new int[MAX_CHILDREN];
    private final int[] childSent = new int[MAX_CHILDREN];
    private int childCount;
    private int parent;
    private int received;

    BroadcastTree(
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

    /** Finds this rank's parent and children for the current call's root. */
    BroadcastTree start()
    {
        chunks.plan(call.count, 1, chunkBytes);
        final int n = members.size();
        final int root = call.root;
        final int vr = (members.me() - root + n) % n;
        int mask = 1;
        int parentRank = -1;
        while (mask < n)
        {
            if ((vr & mask) != 0)
            {
                parentRank = (vr - mask + root) % n;
                break;
            }
            mask <<= 1;
        }
        childCount = 0;
        for (int m = mask >> 1; m > 0; m >>= 1)
        {
            if (vr + m < n)
            {
                children[childCount] = members.worldRankOf((vr + m + root) % n);
                childSent[childCount] = 0;
                childCount++;
            }
        }
        parent = parentRank < 0 ? -1 : members.worldRankOf(parentRank);
        received = parentRank < 0 ? chunks.chunks() : 0;
        return this;
    }

    @Override
    public int doWork()
    {
        int work = 0;
        for (int i = 0; i < childCount; i++)
        {
            while (childSent[i] < received &&
                sender.send(children[i], childSent[i], call.base + chunks.start(childSent[i]),
                    chunks.length(childSent[i])))
            {
                childSent[i]++;
                work++;
            }
        }
        if (received < chunks.chunks())
        {
            work += links.poll(parent, this, FRAGMENT_LIMIT);
        }
        return work;
    }

    @Override
    public boolean isDone()
    {
        if (received < chunks.chunks())
        {
            return false;
        }
        for (int i = 0; i < childCount; i++)
        {
            if (childSent[i] < chunks.chunks())
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public String progress()
    {
        final int total = chunks.chunks();
        return "received " + received + " of " + total + " chunks from rank " +
            (parent < 0 ? "-" : members.describe(parent)) + ", sent " + (childCount == 0 ? 0 : childSent[0]) +
            " of " + total + " to rank " + (childCount == 0 ? "-" : members.describe(children[0]));
    }

    @Override
    public int waitingOn()
    {
        return received < chunks.chunks() ? parent : -1;
    }

    @Override
    public Action onFragment(final DirectBuffer frame, final int offset, final int length, final Header header)
    {
        final int index = received;
        if (index >= chunks.chunks())
        {
            return Action.ABORT; // the parent is already on its next collective; that frame waits for it
        }
        final int expected = chunks.length(index);
        final int verdict = receiver.check(frame, offset, length, parent, index, expected);
        if (verdict != FrameReceiver.ACCEPT)
        {
            return verdict == FrameReceiver.DROP ? Action.CONTINUE : Action.BREAK;
        }
        receiver.deliver(frame, offset, expected, call.base + chunks.start(index), false, false);
        received = index + 1;
        return received == chunks.chunks() ? Action.BREAK : Action.CONTINUE;
    }
}
