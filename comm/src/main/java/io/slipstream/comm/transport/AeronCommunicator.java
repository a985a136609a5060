package io.slipstream.comm.transport;

import io.slipstream.comm.Communicator;
import io.slipstream.comm.DataType;
import io.slipstream.comm.ReduceOp;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * A communicator over Aeron: the world (which owns the job's links and leaves the job on close) or a
 * sub-communicator from {@link #split}, which shares the world's links and tags its frames with its own id.
 */
public final class AeronCommunicator implements Communicator
{
    private final CollectiveEngine engine;
    private final AeronWorld world;
    private final DataPlane plane;
    private final ArrayStaging staging = new ArrayStaging();
    private final UnsafeBuffer control = new UnsafeBuffer(0, 0);
    private int splits;
    private boolean closed;

    AeronCommunicator(final AeronWorld world, final DataPlane plane, final CollectiveEngine engine)
    {
        this.world = world;
        this.plane = plane;
        this.engine = engine;
    }

    @Override
    public int rank()
    {
        return engine.rank();
    }

    @Override
    public int size()
    {
        return engine.size();
    }

    @Override
    public long deadlineNanos()
    {
        return plane.config().deadline().toNanos();
    }

    @Override
    public void activity(final String label)
    {
        engine.control().activity().label(label);
    }

    /** This rank's data-plane counters (all communicators); also readable from outside, see {@link CounterReport}. */
    public CommCounters counters()
    {
        return plane.counters();
    }

    /** Images on this rank's inboxes that no peer announced; never read. */
    public int foreignImages()
    {
        return plane.foreignImages();
    }

    /** This rank's UDP inbox as host:port, or "" when it has no UDP peers. */
    public String udpEndpoint()
    {
        final String endpoint = plane.udpEndpoint();
        return endpoint == null ? "" : endpoint;
    }

    /** The Aeron stream id of this rank's inbox. */
    public int inboxStreamId()
    {
        return plane.streamId(plane.rank());
    }

    @Override
    public void allreduce(
        final MutableDirectBuffer buffer, final int offset, final int count, final DataType type, final ReduceOp op)
    {
        checkOpen();
        engine.allreduce(buffer, offset, count, type, op);
    }

    @Override
    public void broadcast(final MutableDirectBuffer buffer, final int offset, final int length, final int root)
    {
        checkOpen();
        engine.broadcast(buffer, offset, length, root);
    }

    @Override
    public void barrier()
    {
        checkOpen();
        engine.barrier();
    }

    @Override
    public void allgather(
        final DirectBuffer send, final int sendOffset, final int length, final MutableDirectBuffer recv,
        final int recvOffset)
    {
        checkOpen();
        engine.allgather(send, sendOffset, length, recv, recvOffset);
    }

    @Override
    public void reduceScatter(
        final MutableDirectBuffer buffer, final int offset, final int count, final DataType type, final ReduceOp op)
    {
        checkOpen();
        engine.reduceScatter(buffer, offset, count, type, op);
    }

    @Override
    public Communicator split(final int color, final int key)
    {
        checkOpen();
        final int n = size();
        final UnsafeBuffer table = ensureControl(8L * n);
        table.putInt(rank() * 8, color);
        table.putInt(rank() * 8 + 4, key);
        engine.allgather(table, rank() * 8, 8, table, 0);
        final int splitNumber = ++splits;
        if (color < 0)
        {
            return null;
        }
        final long[] order = new long[n];
        int members = 0;
        for (int r = 0; r < n; r++)
        {
            if (table.getInt(r * 8) == color)
            {
                // Sort by key, then by rank: the signed key in the high 32 bits, the rank below.
                order[members++] = (long)table.getInt(r * 8 + 4) << 32 | r;
            }
        }
        final long[] sorted = Arrays.copyOf(order, members);
        Arrays.sort(sorted);
        final int[] worldRanks = new int[members];
        int newRank = -1;
        for (int i = 0; i < members; i++)
        {
            final int r = (int)(sorted[i] & 0xFFFFFFFFL);
            worldRanks[i] = engine.worldRankOf(r);
            if (r == rank())
            {
                newRank = i;
            }
        }
        int id = engine.commId();
        id = id * 31 + splitNumber;
        id = id * 31 + color;
        id = (id ^ (id >>> 16)) * 0x45D9F3B;
        final CollectiveEngine child = new CollectiveEngine(
            plane, engine.control(), id ^ (id >>> 16), worldRanks, newRank, engine.chunkBytes());
        return new AeronCommunicator(null, plane, child);
    }

    @Override
    public byte[][] allgatherBytes(final byte[] mine)
    {
        checkOpen();
        final int n = size();
        final UnsafeBuffer lengths = ensureControl(4L * n);
        lengths.putInt(rank() * 4, mine.length);
        engine.allgather(lengths, rank() * 4, 4, lengths, 0);
        int max = 0;
        final int[] sizes = new int[n];
        for (int r = 0; r < n; r++)
        {
            sizes[r] = lengths.getInt(r * 4);
            max = Math.max(max, sizes[r]);
        }
        final UnsafeBuffer all = staging.ensure((long)max * n);
        all.putBytes(rank() * max, mine);
        engine.allgather(all, rank() * max, max, all, 0);
        final byte[][] result = new byte[n][];
        for (int r = 0; r < n; r++)
        {
            result[r] = new byte[sizes[r]];
            all.getBytes(r * max, result[r]);
        }
        return result;
    }

    @Override
    public byte[] broadcastBytes(final byte[] data, final int root)
    {
        checkOpen();
        final UnsafeBuffer length = ensureControl(4);
        length.putInt(0, rank() == root ? data.length : 0);
        engine.broadcast(length, 0, 4, root);
        final int bytes = length.getInt(0);
        final UnsafeBuffer all = staging.ensure(bytes);
        if (rank() == root)
        {
            all.putBytes(0, data);
        }
        engine.broadcast(all, 0, bytes, root);
        final byte[] result = new byte[bytes];
        all.getBytes(0, result);
        return result;
    }

    @Override
    public void allreduce(final float[] data, final ReduceOp op)
    {
        checkOpen();
        engine.allreduce(staging.put(data), 0, data.length, DataType.FLOAT32, op);
        staging.get(data);
    }

    @Override
    public void allreduce(final double[] data, final ReduceOp op)
    {
        checkOpen();
        engine.allreduce(staging.put(data), 0, data.length, DataType.FLOAT64, op);
        staging.get(data);
    }

    @Override
    public void allreduce(final int[] data, final ReduceOp op)
    {
        checkOpen();
        engine.allreduce(staging.put(data), 0, data.length, DataType.INT32, op);
        staging.get(data);
    }

    @Override
    public void allreduce(final long[] data, final ReduceOp op)
    {
        checkOpen();
        engine.allreduce(staging.put(data), 0, data.length, DataType.INT64, op);
        staging.get(data);
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            if (world != null)
            {
                world.close();
            }
        }
    }

    private UnsafeBuffer ensureControl(final long bytes)
    {
        if (control.capacity() < bytes)
        {
            control.wrap(new byte[(int)Math.max(bytes, 64)]);
        }
        return control;
    }

    private void checkOpen()
    {
        if (closed || plane.isClosed())
        {
            throw new IllegalStateException("rank " + rank() + ": this communicator " +
                (closed ? "is closed" : "belongs to a world that was closed; close sub-communicators first"));
        }
    }

    @Override
    public String toString()
    {
        return "AeronCommunicator{rank=" + rank() + ", size=" + size() + ", id=" +
            Integer.toHexString(engine.commId()) + "}";
    }
}
