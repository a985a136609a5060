package io.slipstream.comm;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/** A world of one rank: reductions and broadcasts leave the data as it is; allgather copies. */
final class SelfCommunicator implements Communicator
{
    private boolean closed;

    @Override
    public int rank()
    {
        return 0;
    }

    @Override
    public int size()
    {
        return 1;
    }

    @Override
    public long deadlineNanos()
    {
        return CommConfig.DEFAULT_DEADLINE.toNanos();
    }

    @Override
    public void allreduce(
        final MutableDirectBuffer buffer, final int offset, final int count, final DataType type, final ReduceOp op)
    {
        check(buffer, offset, (long)count * type.bytes());
    }

    @Override
    public void broadcast(final MutableDirectBuffer buffer, final int offset, final int length, final int root)
    {
        if (root != 0)
        {
            throw new IllegalArgumentException("broadcast root " + root + " is outside 0..0");
        }
        check(buffer, offset, length);
    }

    @Override
    public void barrier()
    {
        check(null, 0, 0);
    }

    @Override
    public void allgather(
        final DirectBuffer send, final int sendOffset, final int length, final MutableDirectBuffer recv,
        final int recvOffset)
    {
        check(recv, recvOffset, length);
        if (send != recv || sendOffset != recvOffset)
        {
            recv.putBytes(recvOffset, send, sendOffset, length);
        }
    }

    @Override
    public void reduceScatter(
        final MutableDirectBuffer buffer, final int offset, final int count, final DataType type, final ReduceOp op)
    {
        check(buffer, offset, (long)count * type.bytes());
    }

    @Override
    public Communicator split(final int color, final int key)
    {
        check(null, 0, 0);
        return color < 0 ? null : new SelfCommunicator();
    }

    @Override
    public byte[][] allgatherBytes(final byte[] mine)
    {
        check(null, 0, 0);
        return new byte[][] {mine.clone()};
    }

    @Override
    public byte[] broadcastBytes(final byte[] data, final int root)
    {
        if (root != 0)
        {
            throw new IllegalArgumentException("broadcast root " + root + " is outside 0..0");
        }
        check(null, 0, 0);
        return data.clone();
    }

    @Override
    public void allreduce(final float[] data, final ReduceOp op)
    {
        check(null, 0, 0);
    }

    @Override
    public void allreduce(final double[] data, final ReduceOp op)
    {
        check(null, 0, 0);
    }

    @Override
    public void allreduce(final int[] data, final ReduceOp op)
    {
        check(null, 0, 0);
    }

    @Override
    public void allreduce(final long[] data, final ReduceOp op)
    {
        check(null, 0, 0);
    }

    @Override
    public void close()
    {
        closed = true;
    }

    private void check(final DirectBuffer buffer, final int offset, final long length)
    {
        if (closed)
        {
            throw new IllegalStateException("rank 0: this communicator is closed");
        }
        if (length < 0 || offset < 0 || buffer != null && offset + length > buffer.capacity())
        {
            throw new IllegalArgumentException("offset " + offset + " + " + length + " bytes is outside the " +
                "buffer's capacity " + (buffer == null ? 0 : buffer.capacity()));
        }
    }
}
