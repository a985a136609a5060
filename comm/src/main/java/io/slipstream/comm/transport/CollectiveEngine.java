package io.slipstream.comm.transport;

import io.aeron.logbuffer.BufferClaim;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import io.slipstream.comm.CommException;
import io.slipstream.comm.CommTimeoutException;
import io.slipstream.comm.DataType;
import io.slipstream.comm.ReduceOp;
import io.slipstream.comm.bootstrap.ControlClient;
import io.slipstream.comm.bootstrap.JobFault;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.IdleStrategy;

import java.lang.System.Logger.Level;

/**
 * Runs one communicator's collectives over the shared {@link DataPlane}: a chunked, pipelined ring for large
 * reductions, allgather and reduce-scatter; recursive doubling (with fold-in for sizes that are not powers of two)
 * for small reductions and the barrier; a pipelined binomial tree for broadcast.
 *
 * <p>Every wait interleaves sends and receives without blocking (a ring where each rank blocks on its send would
 * deadlock once windows fill), polls with the idle strategy, and checks the job fault and the deadline. Received
 * fragments are reduced or copied straight from the log into the caller's buffer; sends claim log space and copy
 * once. Frames are checked against the expected (communicator, op, type, reduction, sequence, count, root, chunk):
 * any difference is a collective mismatch, sent to every rank. Nothing here allocates per call.
 */
public final class CollectiveEngine implements ControlledFragmentHandler
{
    private static final System.Logger LOG = System.getLogger(CollectiveEngine.class.getName());
    private static final int FRAGMENT_LIMIT = 16;
    private static final byte NO_TYPE = -1;
    private static final int MAX_CONSECUTIVE_GARBAGE = 1024;

    private static final int MODE_RING = 1;
    private static final int MODE_EXCHANGE = 2;
    private static final int MODE_TREE = 3;

    private final DataPlane plane;
    private final ControlClient control;
    private final JobFault fault;
    private final int commId;
    private final int[] members;
    private final int me;
    private final int n;
    private final int worldRank;
    private final int jobHash;
    private final int chunkBytes;
    private final int threshold;
    private final boolean checksums;
    private final long deadlineNs;
    private final IdleStrategy idle;
    private final BufferClaim claim = new BufferClaim();
    private final Reducer reducer = new Reducer();
    private final FrameChecksum checksum = new FrameChecksum();
    private final RingSchedule schedule = new RingSchedule();
    private final int[] children;
    private final int[] childSent;

    // The collective in progress; set at its start, read by the fragment handler.
    private long seq;
    private byte op;
    private DataType type;
    private byte typeCode;
    private byte reduceCode;
    private ReduceOp reduceOp;
    private int count;
    private int root;
    private int elementSize;
    private MutableDirectBuffer buffer;
    private int base;

    // Geometry and progress of the current phase.
    private int mode;
    private int chunks;
    private int totalBytes;
    private int sent;
    private int received;
    private int recvTotal;
    private int recvPeer;
    private int ringSendPeer;
    private boolean recvReduce;
    private boolean srcFirst;
    private int consecutiveGarbage;
    private CommException pendingError;
    private long startNs;
    private boolean warned;
    private int childCount;

    public CollectiveEngine(
        final DataPlane plane,
        final ControlClient control,
        final int commId,
        final int[] members,
        final int me,
        final int chunkBytes)
    {
        this.plane = plane;
        this.control = control;
        this.fault = plane.fault();
        this.commId = commId;
        this.members = members.clone();
        this.me = me;
        this.n = members.length;
        this.worldRank = plane.rank();
        this.jobHash = plane.config().jobHash();
        this.chunkBytes = chunkBytes;
        this.threshold = plane.config().smallMessageThreshold();
        this.checksums = plane.config().checksums();
        this.deadlineNs = plane.config().deadline().toNanos();
        this.idle = plane.config().idleMode().newStrategy();
        this.children = new int[32];
        this.childSent = new int[32];
    }

    public int rank()
    {
        return me;
    }

    public int size()
    {
        return n;
    }

    public int commId()
    {
        return commId;
    }

    public ControlClient control()
    {
        return control;
    }

    public int chunkBytes()
    {
        return chunkBytes;
    }

    public int worldRankOf(final int commRank)
    {
        return members[commRank];
    }

    public void allreduce(
        final MutableDirectBuffer buf, final int offset, final int count, final DataType type, final ReduceOp op)
    {
        begin(FrameHeader.OP_ALLREDUCE, buf, offset, count, type, op, 0);
        if (n == 1)
        {
            return;
        }
        if ((long)count * type.bytes() <= threshold || count < n)
        {
            recursiveDoubling();
        }
        else
        {
            ring(2 * (n - 1), n - 1, 0);
        }
    }

    public void reduceScatter(
        final MutableDirectBuffer buf, final int offset, final int count, final DataType type, final ReduceOp op)
    {
        begin(FrameHeader.OP_REDUCE_SCATTER, buf, offset, count, type, op, 0);
        if (n > 1)
        {
            ring(n - 1, n - 1, 0);
        }
    }

    public void barrier()
    {
        begin(FrameHeader.OP_BARRIER, null, 0, 0, null, null, 0);
        if (n > 1)
        {
            recursiveDoubling();
        }
    }

    public void allgather(
        final DirectBuffer send, final int sendOffset, final int length, final MutableDirectBuffer recv,
        final int recvOffset)
    {
        begin(FrameHeader.OP_ALLGATHER, recv, recvOffset, length, null, null, 0);
        final int mine = recvOffset + me * length;
        if (send != recv || sendOffset != mine)
        {
            recv.putBytes(mine, send, sendOffset, length);
        }
        if (n > 1)
        {
            ring(n - 1, 0, length);
        }
    }

    public void broadcast(final MutableDirectBuffer buf, final int offset, final int length, final int root)
    {
        if (root < 0 || root >= n)
        {
            throw new IllegalArgumentException("broadcast root " + root + " is outside 0.." + (n - 1));
        }
        begin(FrameHeader.OP_BROADCAST, buf, offset, length, null, null, root);
        if (n > 1)
        {
            tree();
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
        if (count < 0 || offset < 0)
        {
            throw new IllegalArgumentException(FrameHeader.opName(op) + ": count " + count + " and offset " + offset +
                " must not be negative");
        }
        seq++;
        this.op = op;
        this.buffer = buf;
        this.base = offset;
        this.count = count;
        this.type = type;
        this.typeCode = type == null ? NO_TYPE : (byte)type.ordinal();
        this.reduceOp = reduceOp;
        this.reduceCode = reduceOp == null ? NO_TYPE : (byte)reduceOp.ordinal();
        this.elementSize = type == null ? 1 : type.bytes();
        this.root = root;
        this.pendingError = null;
        this.startNs = System.nanoTime();
        this.warned = false;
        if (buf != null && (long)offset + (long)count * elementSize * (op == FrameHeader.OP_ALLGATHER ? n : 1) >
            buf.capacity())
        {
            throw new IllegalArgumentException(FrameHeader.opName(op) + ": offset " + offset + " + " + count +
                " x " + elementSize + " bytes" + (op == FrameHeader.OP_ALLGATHER ? " x " + n + " ranks" : "") +
                " exceeds the buffer's capacity " + buf.capacity());
        }
        fault.throwIfSet(worldRank, FrameHeader.opName(op), seq);
    }

    // ---------------------------------------------------------------- ring

    /** {@code steps} ring steps, the first {@code reduceSteps} of them reducing; see {@link RingSchedule}. */
    private void ring(final int steps, final int reduceSteps, final int blockBytes)
    {
        this.mode = MODE_RING;
        schedule.plan(n, me, count, elementSize, blockBytes, steps, reduceSteps, chunkBytes);
        final int total = schedule.total();
        this.sent = 0;
        this.received = 0;
        this.recvTotal = total;
        this.recvPeer = members[(me - 1 + n) % n];
        final int sendPeer = members[(me + 1) % n];
        this.ringSendPeer = sendPeer;
        idle.reset();
        while (sent < total || received < total)
        {
            int work = 0;
            while (sent < total && schedule.maySend(sent, received) &&
                send(sendPeer, sent, base + schedule.offset(sent, true), schedule.length(sent, true)))
            {
                sent++;
                work++;
            }
            if (received < total)
            {
                work += plane.poll(recvPeer, this, FRAGMENT_LIMIT);
            }
            if (work == 0)
            {
                idleOrFail(sendPeer, total);
            }
            else
            {
                failIfPending();
            }
        }
    }

    // ---------------------------------------------------------------- recursive doubling

    private void recursiveDoubling()
    {
        this.mode = MODE_EXCHANGE;
        final int bytes = count * elementSize;
        this.totalBytes = bytes;
        this.chunks = Math.max(1, (bytes + chunkBytes - 1) / chunkBytes);
        int pow = 1;
        while (pow * 2 <= n)
        {
            pow *= 2;
        }
        final int rem = n - pow;
        final int newRank;
        if (me < 2 * rem)
        {
            if ((me & 1) == 0)
            {
                exchange(me + 1, true, false, false);
                exchange(me + 1, false, true, false);
                return;
            }
            exchange(me - 1, false, true, true);
            newRank = me / 2;
        }
        else
        {
            newRank = me - rem;
        }
        for (int mask = 1; mask < pow; mask <<= 1)
        {
            final int partnerNew = newRank ^ mask;
            final int partner = partnerNew < rem ? partnerNew * 2 + 1 : partnerNew + rem;
            exchange(partner, true, true, true);
        }
        if (me < 2 * rem)
        {
            exchange(me - 1, true, false, false);
        }
    }

    /**
     * Sends this rank's whole vector to {@code peer} and/or receives the peer's, reducing it in (both operands
     * ordered by rank so both partners compute the same bits) or copying it over this rank's vector.
     */
    private void exchange(final int peer, final boolean doSend, final boolean doReceive, final boolean reduce)
    {
        this.recvPeer = members[peer];
        this.recvReduce = reduce && type != null;
        this.srcFirst = peer < me;
        this.sent = doSend ? 0 : chunks;
        this.received = doReceive ? 0 : chunks;
        this.recvTotal = chunks;
        final int sendPeer = members[peer];
        idle.reset();
        while (sent < chunks || received < chunks)
        {
            int work = 0;
            while (sent < chunks && sendExchangeChunk(sendPeer, sent))
            {
                sent++;
                work++;
            }
            if (received < chunks)
            {
                work += plane.poll(recvPeer, this, FRAGMENT_LIMIT);
            }
            if (work == 0)
            {
                idleOrFail(sendPeer, chunks);
            }
            else
            {
                failIfPending();
            }
        }
    }

    private int exchangeStart(final int c)
    {
        final int elements = totalBytes / elementSize;
        return (int)((long)c * elements / chunks) * elementSize;
    }

    private int exchangeLength(final int c)
    {
        return exchangeStart(c + 1) - exchangeStart(c);
    }

    private boolean sendExchangeChunk(final int peer, final int c)
    {
        return send(peer, c, base + exchangeStart(c), exchangeLength(c));
    }

    // ---------------------------------------------------------------- broadcast tree

    private void tree()
    {
        this.mode = MODE_TREE;
        this.totalBytes = count;
        this.chunks = Math.max(1, (count + chunkBytes - 1) / chunkBytes);
        this.recvReduce = false;
        final int vr = (me - root + n) % n;
        int mask = 1;
        int parent = -1;
        while (mask < n)
        {
            if ((vr & mask) != 0)
            {
                parent = (vr - mask + root) % n;
                break;
            }
            mask <<= 1;
        }
        childCount = 0;
        for (int m = mask >> 1; m > 0; m >>= 1)
        {
            if (vr + m < n)
            {
                children[childCount] = members[(vr + m + root) % n];
                childSent[childCount] = 0;
                childCount++;
            }
        }
        this.received = parent < 0 ? chunks : 0;
        this.recvTotal = chunks;
        this.recvPeer = parent < 0 ? -1 : members[parent];
        this.sent = 0;
        idle.reset();
        while (true)
        {
            int work = 0;
            int done = 0;
            for (int i = 0; i < childCount; i++)
            {
                while (childSent[i] < received && sendExchangeChunk(children[i], childSent[i]))
                {
                    childSent[i]++;
                    work++;
                }
                done += childSent[i] == chunks ? 1 : 0;
            }
            if (received < chunks)
            {
                work += plane.poll(recvPeer, this, FRAGMENT_LIMIT);
            }
            else if (done == childCount)
            {
                return;
            }
            if (work == 0)
            {
                idleOrFail(childCount > 0 ? children[0] : -1, chunks);
            }
            else
            {
                failIfPending();
            }
        }
    }

    // ---------------------------------------------------------------- frames

    private boolean send(final int peer, final int index, final int offset, final int length)
    {
        if (!plane.tryClaim(peer, FrameHeader.LENGTH + length, claim))
        {
            return false;
        }
        final MutableDirectBuffer out = claim.buffer();
        final int at = claim.offset();
        out.putInt(at + FrameHeader.MAGIC_OFFSET, FrameHeader.MAGIC);
        out.putInt(at + FrameHeader.JOB_OFFSET, jobHash);
        out.putInt(at + FrameHeader.COMM_OFFSET, commId);
        out.putByte(at + FrameHeader.OP_OFFSET, op);
        out.putByte(at + FrameHeader.TYPE_OFFSET, typeCode);
        out.putByte(at + FrameHeader.REDUCE_OFFSET, reduceCode);
        out.putByte(at + FrameHeader.FLAGS_OFFSET, checksums ? FrameHeader.FLAG_CRC : 0);
        out.putLong(at + FrameHeader.SEQ_OFFSET, seq);
        out.putInt(at + FrameHeader.COUNT_OFFSET, count);
        out.putInt(at + FrameHeader.CHUNK_OFFSET, index);
        out.putInt(at + FrameHeader.ROOT_OFFSET, root);
        if (length > 0)
        {
            out.putBytes(at + FrameHeader.LENGTH, buffer, offset, length);
        }
        out.putInt(at + FrameHeader.CRC_OFFSET, checksums ?
            checksum.compute(out, at + FrameHeader.LENGTH, length) : 0);
        claim.commit();
        return true;
    }

    /**
     * Ring reduce steps: the piece just reduced is the very piece this rank sends next (same block, one step on).
     * When it is next in sending order and log space is free, it goes out now, copied while it is still in cache,
     * rather than read back from the caller's buffer later; otherwise the ring loop sends it as usual.
     */
    private void forwardReduced(final int index, final int dstOffset, final int length)
    {
        final int next = index + schedule.chunks();
        if (next == sent && next < schedule.total() && send(ringSendPeer, next, dstOffset, length))
        {
            sent++;
        }
    }

    @Override
    public Action onFragment(final DirectBuffer frame, final int offset, final int length, final Header header)
    {
        final int index = received;
        if (index >= recvTotal)
        {
            return Action.ABORT; // the peer is already on its next collective; that frame waits for it
        }
        if (mode == MODE_RING && schedule.mustWait(index, sent))
        {
            return Action.ABORT; // would overwrite a block this rank has not yet sent on; take it later
        }
        if (mode == MODE_EXCHANGE && recvReduce && index >= sent)
        {
            return Action.ABORT; // reduce into this chunk only after this rank's own copy has been sent
        }
        if (length < FrameHeader.LENGTH || frame.getInt(offset + FrameHeader.MAGIC_OFFSET) != FrameHeader.MAGIC ||
            frame.getInt(offset + FrameHeader.JOB_OFFSET) != jobHash)
        {
            plane.countDropped();
            if (++consecutiveGarbage > MAX_CONSECUTIVE_GARBAGE)
            {
                pendingError = error("rank " + describe(recvPeer) + " keeps sending frames that are not this job's " +
                    "(protocol or job id differ): is it running another Slipstream version or job?", false);
                return Action.BREAK;
            }
            return Action.CONTINUE;
        }
        consecutiveGarbage = 0;
        final int theirComm = frame.getInt(offset + FrameHeader.COMM_OFFSET);
        final byte theirOp = frame.getByte(offset + FrameHeader.OP_OFFSET);
        final byte theirType = frame.getByte(offset + FrameHeader.TYPE_OFFSET);
        final byte theirReduce = frame.getByte(offset + FrameHeader.REDUCE_OFFSET);
        final long theirSeq = frame.getLong(offset + FrameHeader.SEQ_OFFSET);
        final int theirCount = frame.getInt(offset + FrameHeader.COUNT_OFFSET);
        final int theirRoot = frame.getInt(offset + FrameHeader.ROOT_OFFSET);
        final int theirChunk = frame.getInt(offset + FrameHeader.CHUNK_OFFSET);
        if (theirComm != commId || theirOp != op || theirType != typeCode || theirReduce != reduceCode ||
            theirSeq != seq || theirCount != count || theirRoot != root)
        {
            pendingError = error("collective mismatch: rank " + describe(worldRank) + " called " +
                FrameHeader.describeCall(commId, op, typeCode, reduceCode, seq, count, root) + " but rank " +
                describe(recvPeer) + " called " +
                FrameHeader.describeCall(theirComm, theirOp, theirType, theirReduce, theirSeq, theirCount, theirRoot) +
                "; every rank must call the same collectives in the same order with the same arguments", true);
            return Action.BREAK;
        }
        final int payload = length - FrameHeader.LENGTH;
        final int dstOffset;
        final int expected;
        final boolean reduce;
        if (mode == MODE_RING)
        {
            dstOffset = base + schedule.offset(index, false);
            expected = schedule.length(index, false);
            reduce = schedule.reduces(index);
        }
        else
        {
            dstOffset = base + exchangeStart(index);
            expected = exchangeLength(index);
            reduce = recvReduce;
        }
        if (theirChunk != index || payload != expected)
        {
            pendingError = error("rank " + describe(recvPeer) + " sent chunk " + theirChunk + " of " + payload +
                " bytes where chunk " + index + " of " + expected + " bytes was due in " +
                FrameHeader.describeCall(commId, op, typeCode, reduceCode, seq, count, root) +
                "; the ranks disagree on chunking (different smallMessageThreshold or transport settings?)", true);
            return Action.BREAK;
        }
        if ((frame.getByte(offset + FrameHeader.FLAGS_OFFSET) & FrameHeader.FLAG_CRC) != 0 &&
            checksum.compute(frame, offset + FrameHeader.LENGTH, payload) !=
            frame.getInt(offset + FrameHeader.CRC_OFFSET))
        {
            pendingError = error("chunk " + index + " from rank " + describe(recvPeer) + " failed its CRC32C " +
                "check: data was corrupted in transit", false);
            return Action.BREAK;
        }
        if (payload > 0)
        {
            if (reduce)
            {
                reducer.reduce(
                    type, reduceOp, buffer, dstOffset, frame, offset + FrameHeader.LENGTH, payload / elementSize,
                    srcFirst);
                if (mode == MODE_RING)
                {
                    forwardReduced(index, dstOffset, payload);
                }
            }
            else
            {
                buffer.putBytes(dstOffset, frame, offset + FrameHeader.LENGTH, payload);
            }
        }
        received = index + 1;
        return received == recvTotal ? Action.BREAK : Action.CONTINUE;
    }

    // ---------------------------------------------------------------- waiting and failing

    private void failIfPending()
    {
        if (pendingError != null)
        {
            final CommException error = pendingError;
            pendingError = null;
            throw error;
        }
    }

    private void idleOrFail(final int sendPeer, final int total)
    {
        failIfPending();
        fault.throwIfSet(worldRank, FrameHeader.opName(op), seq);
        final long waited = System.nanoTime() - startNs;
        if (waited > deadlineNs)
        {
            final String notArrived = control.notYetArrived(commId, seq);
            final CommTimeoutException timeout = new CommTimeoutException(worldRank, FrameHeader.opName(op), seq,
                "not finished after " +
                deadlineNs / 1_000_000 + " ms: " + progress(sendPeer, total) + "; " + (notArrived != null ?
                "rank(s) that have not reached it: " + notArrived : "rank(s) not yet heard from: " +
                (received < total && recvPeer >= 0 ? describe(recvPeer) : "none")) +
                ". A rank may be stuck, slow or calling another collective; raise the deadline if it is just slow");
            // The job cannot go on: tell every rank now rather than leave each to find out at its own deadline.
            control.abort(timeout.getMessage(), false);
            fault.aborted(worldRank, timeout.getMessage(), false);
            throw timeout;
        }
        if (!warned && waited > deadlineNs / 2)
        {
            warned = true;
            LOG.log(Level.WARNING, "rank " + worldRank + ": " + FrameHeader.opName(op) + " #" + seq +
                " has waited " + waited / 1_000_000 + " ms: " + progress(sendPeer, total));
            control.reportStall(commId, seq, FrameHeader.opName(op), members);
        }
        idle.idle();
    }

    private String progress(final int sendPeer, final int total)
    {
        return "received " + received + " of " + total + " chunks from rank " +
            (recvPeer < 0 ? "-" : describe(recvPeer)) + ", sent " + sent + " of " + total + " to rank " +
            (sendPeer < 0 ? "-" : describe(sendPeer));
    }

    private CommException error(final String message, final boolean mismatch)
    {
        final String full = message + " [communicator " + Integer.toHexString(commId) + "]";
        control.abort(full, mismatch);
        fault.aborted(worldRank, full, mismatch);
        return fault.toException(worldRank, FrameHeader.opName(op), seq);
    }

    private String describe(final int world)
    {
        if (n == plane.size())
        {
            return Integer.toString(world);
        }
        for (int i = 0; i < n; i++)
        {
            if (members[i] == world)
            {
                return i + " (world rank " + world + ")";
            }
        }
        return "(world rank " + world + ")";
    }
}
