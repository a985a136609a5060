package io.slipstream.comm.transport;

import io.slipstream.comm.DataType;
import io.slipstream.comm.ReduceOp;
import io.slipstream.comm.bootstrap.ControlClient;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.IdleStrategy;

/**
 * One communicator's collectives over the shared data links: picks the algorithm for each call (recursive
 * doubling for small reductions and the barrier, the ring for large reductions, allgather and reduce-scatter,
 * the binomial tree for broadcast) and runs it in the {@link ProgressLoop}. Every wait interleaves sends and
 * receives without blocking (a ring where each rank blocks on its send would deadlock once windows fill); received
 * fragments are reduced or copied straight from the log into the caller's buffer; sends claim log space and copy
 * once. Nothing here allocates per call.
 */
public final class CollectiveEngine
{
    private final int commId;
    private final CommMembers members;
    private final int chunkBytes;
    private final int threshold;
    private final ControlClient controlClient;
    private final CollectiveControl control;
    private final CollectiveCall call;
    private final ProgressLoop loop;
    private final CommCounters counters;
    private final RingAlgorithm ring;
    private final RecursiveDoubling doubling;
    private final BroadcastTree tree;

    /** The engine of communicator {@code commId}: world ranks {@code members}, this rank at {@code me}. */
    public CollectiveEngine(
        final DataPlane plane,
        final ControlClient control,
        final int commId,
        final int[] members,
        final int me,
        final int chunkBytes)
    {
        this(plane, new JobControl(control, plane.fault(), plane.rank()), control, plane.counters(), commId,
            new CommMembers(members, me, plane.size()), plane.config().jobHash(), chunkBytes,
            plane.config().smallMessageThreshold(), plane.config().checksums(), plane.config().idleMode().newStrategy(),
            plane.config().deadline().toNanos());
    }

    CollectiveEngine(
        final DataLinks links,
        final CollectiveControl control,
        final ControlClient controlClient,
        final CommCounters counters,
        final int commId,
        final CommMembers members,
        final int jobHash,
        final int chunkBytes,
        final int smallMessageThreshold,
        final boolean checksums,
        final IdleStrategy idle,
        final long deadlineNs)
    {
        this.commId = commId;
        this.members = members;
        this.chunkBytes = chunkBytes;
        this.threshold = smallMessageThreshold;
        this.controlClient = controlClient;
        this.control = control;
        this.counters = counters;
        this.call = new CollectiveCall(commId, jobHash);
        final FrameSender sender = new FrameSender(links, call, counters, checksums);
        final FrameReceiver receiver = new FrameReceiver(call, members, control, counters);
        this.loop = new ProgressLoop(call, members, receiver, control, counters, idle, deadlineNs);
        this.ring = new RingAlgorithm(links, call, members, sender, receiver, chunkBytes);
        this.doubling = new RecursiveDoubling(links, call, members, sender, receiver, chunkBytes);
        this.tree = new BroadcastTree(links, call, members, sender, receiver, chunkBytes);
    }

    public int rank()
    {
        return members.me();
    }

    public int size()
    {
        return members.size();
    }

    public int commId()
    {
        return commId;
    }

    public ControlClient control()
    {
        return controlClient;
    }

    public int chunkBytes()
    {
        return chunkBytes;
    }

    public int worldRankOf(final int commRank)
    {
        return members.worldRankOf(commRank);
    }

    public void allreduce(
        final MutableDirectBuffer buf, final int offset, final int count, final DataType type, final ReduceOp op)
    {
        begin(FrameHeader.OP_ALLREDUCE, buf, offset, count, type, op, 0);
        final int n = members.size();
        if (n == 1)
        {
            loop.end();
            return;
        }
        if ((long)count * type.bytes() <= threshold || count < n)
        {
            loop.run(doubling.start());
        }
        else
        {
            loop.run(ring.start(2 * (n - 1), n - 1, 0));
        }
    }

    public void reduceScatter(
        final MutableDirectBuffer buf, final int offset, final int count, final DataType type, final ReduceOp op)
    {
        begin(FrameHeader.OP_REDUCE_SCATTER, buf, offset, count, type, op, 0);
        final int n = members.size();
        if (n > 1)
        {
            loop.run(ring.start(n - 1, n - 1, 0));
        }
        else
        {
            loop.end();
        }
    }

    public void barrier()
    {
        begin(FrameHeader.OP_BARRIER, null, 0, 0, null, null, 0);
        if (members.size() > 1)
        {
            loop.run(doubling.start());
        }
        else
        {
            loop.end();
        }
    }

    public void allgather(
        final DirectBuffer send, final int sendOffset, final int length, final MutableDirectBuffer recv,
        final int recvOffset)
    {
        begin(FrameHeader.OP_ALLGATHER, recv, recvOffset, length, null, null, 0);
        final int mine = recvOffset + members.me() * length;
        if (send != recv || sendOffset != mine)
        {
            recv.putBytes(mine, send, sendOffset, length);
        }
        final int n = members.size();
        if (n > 1)
        {
            loop.run(ring.start(n - 1, 0, length));
        }
        else
        {
            loop.end();
        }
    }

    public void broadcast(final MutableDirectBuffer buf, final int offset, final int length, final int root)
    {
        final int n = members.size();
        if (root < 0 || root >= n)
        {
            throw new IllegalArgumentException("broadcast root " + root + " is outside 0.." + (n - 1));
        }
        begin(FrameHeader.OP_BROADCAST, buf, offset, length, null, null, root);
        if (n > 1)
        {
            loop.run(tree.start());
        }
        else
        {
            loop.end();
        }
    }

    private void begin(
        final byte op,
        final MutableDirectBuffer buf,
        final int offset,
        final int count,
        final DataType type,
        final ReduceOp reduceOp,
        final int root)
    {
        call.begin(op, buf, offset, count, type, reduceOp, root, members.size());
        counters.collective(op);
        control.throwIfFaulted(call.opName(), call.seq);
        loop.begin();
    }
}
