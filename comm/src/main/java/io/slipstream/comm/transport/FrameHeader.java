package io.slipstream.comm.transport;

import io.slipstream.comm.DataType;
import io.slipstream.comm.ReduceOp;

/**
 * Layout of the 40-byte header in front of every data frame. Little-endian, absolute offsets, 8-byte aligned so
 * the payload that follows stays aligned for the reduction loops.
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

    private FrameHeader()
    {
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
        final StringBuilder sb = new StringBuilder(FrameHeader.opName(op)).append('(');
        if (op == FrameHeader.OP_BROADCAST || op == FrameHeader.OP_ALLGATHER)
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
        if (op == FrameHeader.OP_BROADCAST)
        {
            sb.append(", root=").append(root);
        }
        return sb.append(") #").append(seq).append(" on communicator ").append(Integer.toHexString(comm))
            .toString();
    }
}
