package io.slipstream.comm.transport;

import io.slipstream.comm.DataType;
import io.slipstream.comm.ReduceOp;
import org.agrona.MutableDirectBuffer;

/**
 * The collective a communicator is running: what every frame of it states (communicator, op, type, reduction,
 * sequence, count, root) and where its data lies. Set at the call's start by {@link #begin}; read by the
 * algorithms, the sender and the receiver.
 */
final class CollectiveCall
{
    static final byte NO_TYPE = -1;

    final int commId;
    final int jobHash;
    long seq;
    byte op;
    DataType type;
    byte typeCode;
    ReduceOp reduceOp;
    byte reduceCode;
    int count;
    int root;
    int elementSize;
    MutableDirectBuffer buffer;
    int base;

    CollectiveCall(final int commId, final int jobHash)
    {
        this.commId = commId;
        this.jobHash = jobHash;
    }

    /**
     * Starts collective {@code seq + 1}: checks the arguments against the buffer ({@code ranks} is the communicator's
     * size, for allgather's n blocks) and records them.
     */
    void begin(
        final byte op,
        final MutableDirectBuffer buf,
        final int offset,
        final int count,
        final DataType type,
        final ReduceOp reduceOp,
        final int root,
        final int ranks)
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
        final boolean gather = op == FrameHeader.OP_ALLGATHER;
        if (buf != null && (long)offset + (long)count * elementSize * (gather ? ranks : 1) > buf.capacity())
        {
            throw new IllegalArgumentException(FrameHeader.opName(op) + ": offset " + offset + " + " + count +
                " x " + elementSize + " bytes" + (gather ? " x " + ranks + " ranks" : "") +
                " exceeds the buffer's capacity " + buf.capacity());
        }
    }

    String opName()
    {
        return FrameHeader.opName(op);
    }

    /** Writes the header of chunk {@code chunk} of this call; the checksum is written after the payload. */
    void writeHeader(final FrameHeader header, final int chunk, final boolean checksums)
    {
        header.magic(FrameHeader.MAGIC).jobHash(jobHash).commId(commId).op(op).type(typeCode).reduce(reduceCode)
            .flags(checksums ? FrameHeader.FLAG_CRC : 0).seq(seq).count(count).chunk(chunk).root(root);
    }

    /** Whether a frame's header is of this call (not another collective, count, type or root). */
    boolean matches(final FrameHeader header)
    {
        return header.commId() == commId && header.op() == op && header.type() == typeCode &&
            header.reduce() == reduceCode && header.seq() == seq && header.count() == count && header.root() == root;
    }

    /** This call as its frames state it, for errors. */
    String describe()
    {
        return FrameHeader.describeCall(commId, op, typeCode, reduceCode, seq, count, root);
    }
}
