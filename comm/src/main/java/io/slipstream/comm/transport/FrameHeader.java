package io.slipstream.comm.transport;

import io.slipstream.comm.DataType;
import io.slipstream.comm.ReduceOp;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight over the 40-byte header in front of every data frame: {@link #wrap} it over a frame, then read or
 * write its fields by name. Every field is little-endian whatever the host's order (the accessors say so to the
 * buffer, which swaps nothing on little-endian hosts); offsets are absolute and the header is 8-byte aligned so the
 * payload that follows stays aligned for the reduction loops. The payload itself is the caller's elements as they
 * lie in memory, in the host's order: ranks of one job must share a byte order.
 *
 * <pre>
 *  0 int  magic (protocol name and version)   4 int  job hash          8 int  communicator id
 * 12 byte op   13 byte data type   14 byte reduce op   15 byte flags (bit 0: payload CRC32C)
 * 16 long collective sequence number          24 int  count (elements or bytes of the whole collective)
 * 28 int  chunk index within the collective   32 int  CRC32C of the payload (0 without the flag)
 * 36 int  root (broadcast) or 0               40 payload
 * </pre>
 */
public final class FrameHeader
{
    /** The byte order of every header field. */
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;

    public static final int MAGIC = 0x534C5031;
    public static final int MAGIC_OFFSET = 0;
    public static final int JOB_OFFSET = 4;
    public static final int COMM_OFFSET = 8;
    public static final int OP_OFFSET = 12;
    public static final int TYPE_OFFSET = 13;
    public static final int REDUCE_OFFSET = 14;
    public static final int FLAGS_OFFSET = 15;
    public static final int SEQ_OFFSET = 16;
    public static final int COUNT_OFFSET = 24;
    public static final int CHUNK_OFFSET = 28;
    public static final int CRC_OFFSET = 32;
    public static final int ROOT_OFFSET = 36;
    public static final int LENGTH = 40;

    public static final byte FLAG_CRC = 1;

    public static final byte OP_ALLREDUCE = 1;
    public static final byte OP_BROADCAST = 2;
    public static final byte OP_BARRIER = 3;
    public static final byte OP_ALLGATHER = 4;
    public static final byte OP_REDUCE_SCATTER = 5;
    /** The largest op code; op codes run 1..OP_COUNT. */
    public static final int OP_COUNT = 5;

    private DirectBuffer buffer;
    private MutableDirectBuffer mutable;
    private int offset;

    /** Reads the header at {@code offset} of {@code frame}; the setters then fail. */
    public FrameHeader wrap(final DirectBuffer frame, final int offset)
    {
        this.buffer = frame;
        this.mutable = null;
        this.offset = offset;
        return this;
    }

    /** Reads and writes the header at {@code offset} of {@code frame}. */
    public FrameHeader wrap(final MutableDirectBuffer frame, final int offset)
    {
        this.buffer = frame;
        this.mutable = frame;
        this.offset = offset;
        return this;
    }

    /** The offset of the payload in the wrapped buffer. */
    public int payloadOffset()
    {
        return offset + LENGTH;
    }

    public int magic()
    {
        return buffer.getInt(offset + MAGIC_OFFSET, BYTE_ORDER);
    }

    public FrameHeader magic(final int value)
    {
        mutable.putInt(offset + MAGIC_OFFSET, value, BYTE_ORDER);
        return this;
    }

    public int jobHash()
    {
        return buffer.getInt(offset + JOB_OFFSET, BYTE_ORDER);
    }

    public FrameHeader jobHash(final int value)
    {
        mutable.putInt(offset + JOB_OFFSET, value, BYTE_ORDER);
        return this;
    }

    public int commId()
    {
        return buffer.getInt(offset + COMM_OFFSET, BYTE_ORDER);
    }

    public FrameHeader commId(final int value)
    {
        mutable.putInt(offset + COMM_OFFSET, value, BYTE_ORDER);
        return this;
    }

    public byte op()
    {
        return buffer.getByte(offset + OP_OFFSET);
    }

    public FrameHeader op(final byte value)
    {
        mutable.putByte(offset + OP_OFFSET, value);
        return this;
    }

    /** The {@link DataType} ordinal, or -1 for byte collectives. */
    public byte type()
    {
        return buffer.getByte(offset + TYPE_OFFSET);
    }

    public FrameHeader type(final byte value)
    {
        mutable.putByte(offset + TYPE_OFFSET, value);
        return this;
    }

    /** The {@link ReduceOp} ordinal, or -1 for collectives that do not reduce. */
    public byte reduce()
    {
        return buffer.getByte(offset + REDUCE_OFFSET);
    }

    public FrameHeader reduce(final byte value)
    {
        mutable.putByte(offset + REDUCE_OFFSET, value);
        return this;
    }

    public byte flags()
    {
        return buffer.getByte(offset + FLAGS_OFFSET);
    }

    public FrameHeader flags(final byte value)
    {
        mutable.putByte(offset + FLAGS_OFFSET, value);
        return this;
    }

    public boolean hasChecksum()
    {
        return (flags() & FLAG_CRC) != 0;
    }

    public long seq()
    {
        return buffer.getLong(offset + SEQ_OFFSET, BYTE_ORDER);
    }

    public FrameHeader seq(final long value)
    {
        mutable.putLong(offset + SEQ_OFFSET, value, BYTE_ORDER);
        return this;
    }

    public int count()
    {
        return buffer.getInt(offset + COUNT_OFFSET, BYTE_ORDER);
    }

    public FrameHeader count(final int value)
    {
        mutable.putInt(offset + COUNT_OFFSET, value, BYTE_ORDER);
        return this;
    }

    public int chunk()
    {
        return buffer.getInt(offset + CHUNK_OFFSET, BYTE_ORDER);
    }

    public FrameHeader chunk(final int value)
    {
        mutable.putInt(offset + CHUNK_OFFSET, value, BYTE_ORDER);
        return this;
    }

    public int crc()
    {
        return buffer.getInt(offset + CRC_OFFSET, BYTE_ORDER);
    }

    public FrameHeader crc(final int value)
    {
        mutable.putInt(offset + CRC_OFFSET, value, BYTE_ORDER);
        return this;
    }

    public int root()
    {
        return buffer.getInt(offset + ROOT_OFFSET, BYTE_ORDER);
    }

    public FrameHeader root(final int value)
    {
        mutable.putInt(offset + ROOT_OFFSET, value, BYTE_ORDER);
        return this;
    }

    /** The call the wrapped header states, for mismatch errors. */
    public String describeCall()
    {
        return describeCall(commId(), op(), type(), reduce(), seq(), count(), root());
    }

    public static String opName(final int op)
    {
        switch (op)
        {
            case OP_ALLREDUCE:
                return "allreduce";
            case OP_BROADCAST:
                return "broadcast";
            case OP_BARRIER:
                return "barrier";
            case OP_ALLGATHER:
                return "allgather";
            case OP_REDUCE_SCATTER:
                return "reduceScatter";
            default:
                return "op" + op;
        }
    }

    /** A call as its frames state it, for mismatch errors: {@code allreduce(count=10, FLOAT32, SUM) #5 on ...}. */
    public static String describeCall(
        final int comm, final byte op, final byte type, final byte reduce, final long seq, final int count,
        final int root)
    {
        final StringBuilder sb = new StringBuilder(opName(op)).append('(');
        if (op == OP_BROADCAST || op == OP_ALLGATHER)
        {
            sb.append("bytes=").append(count);
        }
        else
        {
            sb.append("count=").append(count);
        }
        if (type >= 0 && type < DataType.values().length)
        {
            sb.append(", ").append(DataType.values()[type]);
        }
        if (reduce >= 0 && reduce < ReduceOp.values().length)
        {
            sb.append(", ").append(ReduceOp.values()[reduce]);
        }
        if (op == OP_BROADCAST)
        {
            sb.append(", root=").append(root);
        }
        return sb.append(") #").append(seq).append(" on communicator ").append(Integer.toHexString(comm))
            .toString();
    }
}
