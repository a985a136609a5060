package io.slipstream.trainer.testing;

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
import java.util.function.Function;

/**
 * Test fixture: N ranks as threads of one JVM, exchanging objects through shared slots and a barrier.
 * Only the control-data collectives the trainer's families use are supported (array allreduce, byte
 * gather/broadcast, barrier, split); buffer collectives throw. Every wait has a deadline.
 */
public final class ThreadRanks
{
    private static final long DEADLINE_SECONDS = 60;

    private ThreadRanks()
    {
    }

    /** Runs {@code body} on {@code size} rank threads and returns their results by rank. */
    public static <T> List<T> run(final int size, final Function<Communicator, T> body) throws Exception
    {
        final Exchange exchange = new Exchange(size);
        final ExecutorService pool = Executors.newFixedThreadPool(size);
        try
        {
            final List<Future<T>> futures = new ArrayList<>();
            for (int r = 0; r < size; r++)
            {
                final Rank rank = new Rank(exchange, r);
                futures.add(pool.submit(() -> body.apply(rank)));
            }
            final List<T> results = new ArrayList<>();
            for (final Future<T> f : futures)
            {
                results.add(f.get(DEADLINE_SECONDS, TimeUnit.SECONDS));
            }
            return results;
        }
        finally
        {
            pool.shutdownNow();
            if (!pool.awaitTermination(10, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("rank threads did not stop");
            }
        }
    }

    /** A single rank: every collective returns at once. */
    public static Communicator solo()
    {
        return new Rank(new Exchange(1), 0);
    }

    private static final class Exchange
    {
        final Object[] slots;
        final CyclicBarrier barrier;

        Exchange(final int size)
        {
            slots = new Object[size];
            barrier = new CyclicBarrier(size);
        }
    }

    private static final class Rank implements Communicator
    {
        private final Exchange exchange;
        private final int rank;
        private long sequence;

        Rank(final Exchange exchange, final int rank)
        {
            this.exchange = exchange;
            this.rank = rank;
        }

        @Override
        public int rank()
        {
            return rank;
        }

        @Override
        public int size()
        {
            return exchange.slots.length;
        }

        @Override
        public long deadlineNanos()
        {
            return TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        }

        private Object[] gather(final Object mine, final String operation)
        {
            sequence++;
            exchange.slots[rank] = mine;
            await(operation);
            final Object[] all = exchange.slots.clone();
            await(operation);
            return all;
        }

        private void await(final String operation)
        {
            try
            {
                exchange.barrier.await(DEADLINE_SECONDS, TimeUnit.SECONDS);
            }
            catch (final InterruptedException | BrokenBarrierException | TimeoutException ex)
            {
                throw new CommException(rank, operation, sequence, "peer did not arrive: " + ex, ex);
            }
        }

        @Override
        public byte[][] allgatherBytes(final byte[] mine)
        {
            final Object[] all = gather(mine.clone(), "allgatherBytes");
            final byte[][] out = new byte[all.length][];
            for (int r = 0; r < all.length; r++)
            {
                out[r] = ((byte[])all[r]).clone();
            }
            return out;
        }

        @Override
        public byte[] broadcastBytes(final byte[] data, final int root)
        {
            final Object[] all = gather(rank == root ? data.clone() : null, "broadcastBytes");
            return ((byte[])all[root]).clone();
        }

        @Override
        public void barrier()
        {
            gather(null, "barrier");
        }

        @Override
        public void allreduce(final double[] data, final ReduceOp op)
        {
            final Object[] all = gather(data.clone(), "allreduce");
            for (int i = 0; i < data.length; i++)
            {
                double acc = ((double[])all[0])[i];
                for (int r = 1; r < all.length; r++)
                {
                    final double v = ((double[])all[r])[i];
                    acc = op == ReduceOp.SUM ? acc + v : op == ReduceOp.MAX ? Math.max(acc, v) : Math.min(acc, v);
                }
                data[i] = acc;
            }
        }

        @Override
        public void allreduce(final long[] data, final ReduceOp op)
        {
            final Object[] all = gather(data.clone(), "allreduce");
            for (int i = 0; i < data.length; i++)
            {
                long acc = ((long[])all[0])[i];
                for (int r = 1; r < all.length; r++)
                {
                    final long v = ((long[])all[r])[i];
                    acc = op == ReduceOp.SUM ? acc + v : op == ReduceOp.MAX ? Math.max(acc, v) : Math.min(acc, v);
                }
                data[i] = acc;
            }
        }

        @Override
        public void allreduce(final int[] data, final ReduceOp op)
        {
            final long[] wide = new long[data.length];
            for (int i = 0; i < data.length; i++)
            {
                wide[i] = data[i];
            }
            allreduce(wide, op);
            for (int i = 0; i < data.length; i++)
            {
                data[i] = (int)wide[i];
            }
        }

        @Override
        public void allreduce(final float[] data, final ReduceOp op)
        {
            final double[] wide = new double[data.length];
            for (int i = 0; i < data.length; i++)
            {
                wide[i] = data[i];
            }
            allreduce(wide, op);
            for (int i = 0; i < data.length; i++)
            {
                data[i] = (float)wide[i];
            }
        }

        @Override
        public Communicator split(final int color, final int key)
        {
            final Object[] keys = gather(new long[]{color, key}, "split");
            final List<Integer> members = new ArrayList<>();
            for (int r = 0; r < keys.length; r++)
            {
                if (((long[])keys[r])[0] == color)
                {
                    members.add(r);
                }
            }
            members.sort((a, b) -> ((long[])keys[a])[1] != ((long[])keys[b])[1] ?
                Long.compare(((long[])keys[a])[1], ((long[])keys[b])[1]) : Integer.compare(a, b));
            final boolean leader = color >= 0 && members.get(0) == rank;
            final Object[] created = gather(leader ? new Exchange(members.size()) : null, "split");
            if (color < 0)
            {
                return null;
            }
            return new Rank((Exchange)created[members.get(0)], members.indexOf(rank));
        }

        @Override
        public void allreduce(final MutableDirectBuffer buffer, final int offset, final int count,
            final DataType type, final ReduceOp op)
        {
            throw new UnsupportedOperationException("buffer collectives are not part of this fixture");
        }

        @Override
        public void broadcast(final MutableDirectBuffer buffer, final int offset, final int length, final int root)
        {
            throw new UnsupportedOperationException("buffer collectives are not part of this fixture");
        }

        @Override
        public void allgather(final DirectBuffer send, final int sendOffset, final int length,
            final MutableDirectBuffer recv, final int recvOffset)
        {
            throw new UnsupportedOperationException("buffer collectives are not part of this fixture");
        }

        @Override
        public void reduceScatter(final MutableDirectBuffer buffer, final int offset, final int count,
            final DataType type, final ReduceOp op)
        {
            throw new UnsupportedOperationException("buffer collectives are not part of this fixture");
        }

        @Override
        public void close()
        {
        }
    }
}
