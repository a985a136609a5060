package io.slipstream.trainer.dp;

import io.slipstream.comm.CommException;
import io.slipstream.comm.Communicator;
import io.slipstream.comm.DataType;
import io.slipstream.comm.ReduceOp;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * Test fixture: N ranks as threads of this JVM sharing memory. Each collective deposits every rank's
 * contribution, waits for all, and lets each rank reduce them in rank order, so results are
 * bit-identical across ranks like comm's. Only what the trainer's tests use is implemented.
 */
final class ThreadRanks
{
    private static final long DEADLINE_SECONDS = 60;

    private ThreadRanks()
    {
    }

    /** Runs {@code body} on {@code size} rank threads and returns their results in rank order. */
    static <T> List<T> run(final int size, final RankBody<T> body) throws Exception
    {
        final Shared shared = new Shared(size);
        final ExecutorService pool = Executors.newFixedThreadPool(size);
        try
        {
            final List<Future<T>> futures = new ArrayList<>();
            for (int r = 0; r < size; r++)
            {
                final Rank rank = new Rank(shared, r);
                futures.add(pool.submit(() -> body.run(rank)));
            }
            final List<T> results = new ArrayList<>();
            for (final Future<T> f : futures)
            {
                results.add(f.get(DEADLINE_SECONDS * 4, TimeUnit.SECONDS));
            }
            return results;
        }
        finally
        {
            pool.shutdownNow();
            if (!pool.awaitTermination(DEADLINE_SECONDS, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("rank threads did not stop");
            }
        }
    }

    interface RankBody<T>
    {
        T run(Communicator rank) throws Exception;
    }

    private static final class Shared
    {
        final int size;
        final CyclicBarrier barrier;
        final Object[] slots;

        Shared(final int size)
        {
            this.size = size;
            barrier = new CyclicBarrier(size);
            slots = new Object[size];
        }
    }

    private static final class Rank implements Communicator
    {
        private final Shared shared;
        private final int rank;
        private long sequence;

        Rank(final Shared shared, final int rank)
        {
            this.shared = shared;
            this.rank = rank;
        }

        public int rank()
        {
            return rank;
        }

        public int size()
        {
            return shared.size;
        }

        public long deadlineNanos()
        {
            return TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        }

        private Object[] exchange(final String operation, final Object mine)
        {
            sequence++;
            shared.slots[rank] = mine;
            await(operation);
            final Object[] all = shared.slots.clone();
            await(operation);
            return all;
        }

        private void await(final String operation)
        {
            try
            {
                shared.barrier.await(DEADLINE_SECONDS, TimeUnit.SECONDS);
            }
            catch (final InterruptedException | BrokenBarrierException | TimeoutException ex)
            {
                throw new CommException(rank, operation, sequence, "a rank did not arrive", ex);
            }
        }

        private <T> T[] gather(final String operation, final T mine, final IntFunction<T[]> array)
        {
            final Object[] all = exchange(operation, mine);
            final T[] out = array.apply(all.length);
            for (int i = 0; i < all.length; i++)
            {
                @SuppressWarnings("unchecked") final T t = (T)all[i];
                out[i] = t;
            }
            return out;
        }

        public void allreduce(
            final MutableDirectBuffer buffer, final int offset, final int count, final DataType type, final ReduceOp op)
        {
            final byte[] mine = new byte[count * type.bytes()];
            buffer.getBytes(offset, mine);
            final byte[][] all = gather("allreduce", mine, byte[][]::new);
            final org.agrona.concurrent.UnsafeBuffer[] parts = new org.agrona.concurrent.UnsafeBuffer[all.length];
            for (int r = 0; r < all.length; r++)
            {
                parts[r] = new org.agrona.concurrent.UnsafeBuffer(all[r]);
            }
            for (int i = 0; i < count; i++)
            {
                switch (type)
                {
                    case FLOAT32:
                    {
                        float acc = parts[0].getFloat(i * 4);
                        for (int r = 1; r < parts.length; r++)
                        {
                            acc = (float)combine(acc, parts[r].getFloat(i * 4), op);
                        }
                        buffer.putFloat(offset + i * 4, acc);
                        break;
                    }
                    case FLOAT64:
                    {
                        double acc = parts[0].getDouble(i * 8);
                        for (int r = 1; r < parts.length; r++)
                        {
                            acc = combine(acc, parts[r].getDouble(i * 8), op);
                        }
                        buffer.putDouble(offset + i * 8, acc);
                        break;
                    }
                    case INT32:
                    {
                        long acc = parts[0].getInt(i * 4);
                        for (int r = 1; r < parts.length; r++)
                        {
                            acc = combineLong(acc, parts[r].getInt(i * 4), op);
                        }
                        buffer.putInt(offset + i * 4, (int)acc);
                        break;
                    }
                    default:
                    {
                        long acc = parts[0].getLong(i * 8);
                        for (int r = 1; r < parts.length; r++)
                        {
                            acc = combineLong(acc, parts[r].getLong(i * 8), op);
                        }
                        buffer.putLong(offset + i * 8, acc);
                    }
                }
            }
        }

        private static double combine(final double a, final double b, final ReduceOp op)
        {
            return op == ReduceOp.SUM ? a + b : op == ReduceOp.MAX ? Math.max(a, b) : Math.min(a, b);
        }

        private static long combineLong(final long a, final long b, final ReduceOp op)
        {
            return op == ReduceOp.SUM ? a + b : op == ReduceOp.MAX ? Math.max(a, b) : Math.min(a, b);
        }

        public void broadcast(final MutableDirectBuffer buffer, final int offset, final int length, final int root)
        {
            final byte[] mine = new byte[length];
            buffer.getBytes(offset, mine);
            final byte[][] all = gather("broadcast", mine, byte[][]::new);
            buffer.putBytes(offset, all[root]);
        }

        public void barrier()
        {
            exchange("barrier", null);
        }

        public void allgather(
            final DirectBuffer send, final int sendOffset, final int length, final MutableDirectBuffer recv, final int recvOffset)
        {
            final byte[] mine = new byte[length];
            send.getBytes(sendOffset, mine);
            final byte[][] all = gather("allgather", mine, byte[][]::new);
            for (int r = 0; r < all.length; r++)
            {
                recv.putBytes(recvOffset + r * length, all[r]);
            }
        }

        public void reduceScatter(
            final MutableDirectBuffer buffer, final int offset, final int count, final DataType type, final ReduceOp op)
        {
            allreduce(buffer, offset, count, type, op);
        }

        public Communicator split(final int color, final int key)
        {
            throw new UnsupportedOperationException("ThreadRanks does not split; use comm's harness for that");
        }

        public byte[][] allgatherBytes(final byte[] mine)
        {
            return gather("allgatherBytes", mine.clone(), byte[][]::new);
        }

        public byte[] broadcastBytes(final byte[] data, final int root)
        {
            return gather("broadcastBytes", data == null ? null : data.clone(), byte[][]::new)[root].clone();
        }

        public void allreduce(final float[] data, final ReduceOp op)
        {
            final org.agrona.concurrent.UnsafeBuffer b = new org.agrona.concurrent.UnsafeBuffer(new byte[data.length * 4]);
            for (int i = 0; i < data.length; i++)
            {
                b.putFloat(i * 4, data[i]);
            }
            allreduce(b, 0, data.length, DataType.FLOAT32, op);
            for (int i = 0; i < data.length; i++)
            {
                data[i] = b.getFloat(i * 4);
            }
        }

        public void allreduce(final double[] data, final ReduceOp op)
        {
            final org.agrona.concurrent.UnsafeBuffer b = new org.agrona.concurrent.UnsafeBuffer(new byte[data.length * 8]);
            for (int i = 0; i < data.length; i++)
            {
                b.putDouble(i * 8, data[i]);
            }
            allreduce(b, 0, data.length, DataType.FLOAT64, op);
            for (int i = 0; i < data.length; i++)
            {
                data[i] = b.getDouble(i * 8);
            }
        }

        public void allreduce(final int[] data, final ReduceOp op)
        {
            final org.agrona.concurrent.UnsafeBuffer b = new org.agrona.concurrent.UnsafeBuffer(new byte[data.length * 4]);
            for (int i = 0; i < data.length; i++)
            {
                b.putInt(i * 4, data[i]);
            }
            allreduce(b, 0, data.length, DataType.INT32, op);
            for (int i = 0; i < data.length; i++)
            {
                data[i] = b.getInt(i * 4);
            }
        }

        public void allreduce(final long[] data, final ReduceOp op)
        {
            final org.agrona.concurrent.UnsafeBuffer b = new org.agrona.concurrent.UnsafeBuffer(new byte[data.length * 8]);
            for (int i = 0; i < data.length; i++)
            {
                b.putLong(i * 8, data[i]);
            }
            allreduce(b, 0, data.length, DataType.INT64, op);
            for (int i = 0; i < data.length; i++)
            {
                data[i] = b.getLong(i * 8);
            }
        }

        public void close()
        {
        }
    }
}
