package io.slipstream.launcher.workload;

import io.slipstream.comm.Communicator;
import io.slipstream.comm.DataType;
import io.slipstream.comm.ReduceOp;
import io.slipstream.launcher.job.Job;
import io.slipstream.launcher.job.JobContext;
import io.slipstream.launcher.signal.ExitCode;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Checks the world end to end: each round runs an in-place float32 allreduce on an off-heap buffer,
 * an int64 MAX allreduce, a broadcast from a rotating root, an allgather of every rank's name and a
 * barrier, and verifies every element against the exact expected value. Rank 0 prints one line per
 * round and "smoke OK" at the end; any mismatch fails the rank naming the element.
 */
final class SmokeWorkload implements Job
{
    private final int rounds;
    private final int elements;
    private final FailurePlan failure;

    SmokeWorkload(final int rounds, final int elements, final FailurePlan failure)
    {
        this.rounds = rounds;
        this.elements = elements;
        this.failure = failure;
    }

    @Override
    public int run(final JobContext context) throws Exception
    {
        final Communicator world = context.world();
        final int rank = world.rank();
        final int size = world.size();
        final UnsafeBuffer floats = new UnsafeBuffer(ByteBuffer.allocateDirect(elements * Float.BYTES));
        final UnsafeBuffer longs = new UnsafeBuffer(ByteBuffer.allocateDirect(2 * Long.BYTES));
        final UnsafeBuffer bytes = new UnsafeBuffer(ByteBuffer.allocateDirect(elements));
        final float ranksSum = size * (size + 1) / 2.0f;
        for (int round = 0; round < rounds; round++)
        {
            final int code = Failures.apply(failure, rank, round, context);
            if (code != ExitCode.OK)
            {
                return code;
            }
            for (int i = 0; i < elements; i++)
            {
                floats.putFloat(i * Float.BYTES, (rank + 1) * (float)((i + round) % 7 + 1));
            }
            world.allreduce(floats, 0, elements, DataType.FLOAT32, ReduceOp.SUM);
            for (int i = 0; i < elements; i++)
            {
                final float expected = ranksSum * ((i + round) % 7 + 1);
                final float actual = floats.getFloat(i * Float.BYTES);
                if (actual != expected)
                {
                    throw new IllegalStateException("smoke: round " + round + ": allreduce SUM element " + i + " is " +
                        actual + ", expected " + expected + " on rank " + rank);
                }
            }

            longs.putLong(0, rank * 1000L + round);
            longs.putLong(Long.BYTES, -rank);
            world.allreduce(longs, 0, 2, DataType.INT64, ReduceOp.MAX);
            if (longs.getLong(0) != (size - 1) * 1000L + round || longs.getLong(Long.BYTES) != 0)
            {
                throw new IllegalStateException("smoke: round " + round + ": allreduce MAX gave " + longs.getLong(0) +
                    ", " + longs.getLong(Long.BYTES) + " on rank " + rank);
            }

            final int root = round % size;
            for (int i = 0; i < elements; i++)
            {
                bytes.putByte(i, rank == root ? (byte)(i * 31 + round) : (byte)0);
            }
            world.broadcast(bytes, 0, elements, root);
            for (int i = 0; i < elements; i++)
            {
                if (bytes.getByte(i) != (byte)(i * 31 + round))
                {
                    throw new IllegalStateException("smoke: round " + round + ": broadcast from rank " + root +
                        " byte " + i + " is wrong on rank " + rank);
                }
            }

            final byte[][] names = world.allgatherBytes(("rank-" + rank).getBytes(StandardCharsets.US_ASCII));
            for (int r = 0; r < size; r++)
            {
                if (!("rank-" + r).equals(new String(names[r], StandardCharsets.US_ASCII)))
                {
                    throw new IllegalStateException("smoke: round " + round + ": allgather entry " + r + " is '" +
                        new String(names[r], StandardCharsets.US_ASCII) + "' on rank " + rank);
                }
            }

            world.barrier();
            if (rank == 0)
            {
                context.out().println("smoke: round " + (round + 1) + "/" + rounds + " ok (allreduce of " + elements +
                    " floats, broadcast from rank " + root + ", allgather, barrier)");
            }
        }
        if (rank == 0)
        {
            context.out().println("smoke OK: " + size + " ranks, " + rounds + " rounds");
        }
        return ExitCode.OK;
    }
}
