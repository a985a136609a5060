package io.slipstream.comm;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadlineTest
{
    @Test
    void aRankThatComputesFourTimesTheDeadlineIsWaitedForNotTimedOut()
    {
        final long[] waitedMs = new long[3];
        final long[] stalls = new long[3];
        final float[][] results = new float[3][];
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> ThreadRanks.run(3,
            (rank, builder) -> builder.deadline(Duration.ofSeconds(2)), Duration.ofSeconds(55), (comm) ->
            {
                comm.barrier();
                if (comm.rank() == 2)
                {
                    comm.activity("fitting fold 3 of 5");
                    Thread.sleep(8_000); // a fit four times as long as the deadline
                    comm.activity("");
                }
                final float[] data = new float[100];
                java.util.Arrays.fill(data, comm.rank() + 1);
                final long start = System.nanoTime();
                comm.allreduce(data, ReduceOp.SUM);
                waitedMs[comm.rank()] = (System.nanoTime() - start) / 1_000_000;
                results[comm.rank()] = data;
                stalls[comm.rank()] =
                    ((io.slipstream.comm.transport.AeronCommunicator)comm).counters().stalls();
                comm.barrier();
            }));
        for (int r = 0; r < 3; r++)
        {
            assertEquals(6f, results[r][99], "rank " + r);
        }
        assertTrue(waitedMs[0] >= 7_000 && waitedMs[1] >= 7_000, "ranks 0 and 1 waited for rank 2's fit: " +
            waitedMs[0] + ", " + waitedMs[1] + " ms");
        assertTrue(stalls[0] >= 1 && stalls[1] >= 1, "the long waits were asked about and counted");
    }

    @Test
    void ranksThatWaitForEachOtherInDifferentCollectivesTimeOut()
    {
        final CommException[] errors = new CommException[2];
        final long[] waitedMs = new long[2];
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> ThreadRanks.run(2,
            (rank, builder) -> builder.deadline(Duration.ofSeconds(2)), Duration.ofSeconds(55), (comm) ->
            {
                final Communicator twin = comm.split(0, comm.rank());
                final long start = System.nanoTime();
                try
                {
                    // Each waits, as a broadcast's receiver, for the other: both alive, neither working, and no
                    // frame crosses to show a mismatch. A deadlock: it must end at the deadline.
                    if (comm.rank() == 0)
                    {
                        comm.broadcast(new UnsafeBuffer(new byte[8]), 0, 8, 1);
                    }
                    else
                    {
                        twin.broadcast(new UnsafeBuffer(new byte[8]), 0, 8, 0);
                    }
                }
                catch (final CommException ex)
                {
                    errors[comm.rank()] = ex;
                }
                waitedMs[comm.rank()] = (System.nanoTime() - start) / 1_000_000;
            }));
        boolean anyTimeout = false;
        for (int r = 0; r < 2; r++)
        {
            assertNotNull(errors[r], "rank " + r + " must fail");
            assertTrue(waitedMs[r] >= 1_900 && waitedMs[r] < 10_000, "rank " + r + " waited " + waitedMs[r] + " ms");
            anyTimeout |= errors[r] instanceof CommTimeoutException;
        }
        assertTrue(anyTimeout, "the deadlock ends in a timeout on some rank: " + errors[0] + " / " + errors[1]);
    }

    @Test
    void rankThatClosesEarlyIsReportedAsLostLongBeforeTheDeadline()
    {
        final CommException[] errors = new CommException[3];
        final long[] waitedMs = new long[3];
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> ThreadRanks.run(3,
            (rank, builder) -> builder.deadline(Duration.ofSeconds(rank == 2 ? 2 : 30)), Duration.ofSeconds(55),
            (comm) ->
            {
                comm.barrier();
                if (comm.rank() < 2)
                {
                    final long start = System.nanoTime();
                    try
                    {
                        comm.allreduce(new long[10], ReduceOp.SUM);
                    }
                    catch (final CommException ex)
                    {
                        errors[comm.rank()] = ex;
                        waitedMs[comm.rank()] = (System.nanoTime() - start) / 1_000_000;
                    }
                }
            }));
        for (int r = 0; r < 2; r++)
        {
            assertInstanceOf(PeerLostException.class, errors[r], "rank " + r + ": " + errors[r]);
            assertEquals(2, ((PeerLostException)errors[r]).lostRank());
            assertTrue(waitedMs[r] < 15_000, "rank " + r + " waited " + waitedMs[r] + " ms of its 30 s deadline");
        }
    }

    @Test
    void steadyAllreducesAllocateNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long[] allocated = new long[2];
        assertTimeoutPreemptively(Duration.ofMinutes(1), () -> ThreadRanks.run(2, (comm) ->
        {
            final UnsafeBuffer small = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64, 64));
            final UnsafeBuffer large = new UnsafeBuffer(BufferUtil.allocateDirectAligned(1 << 20, 64));
            final float[] array = new float[1000];
            for (int warm = 0; warm < 2; warm++)
            {
                final long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 2_000; i++)
                {
                    comm.allreduce(small, 0, 16, DataType.FLOAT32, ReduceOp.SUM);
                    comm.allreduce(array, ReduceOp.MAX);
                    if (i % 20 == 0)
                    {
                        comm.allreduce(large, 0, 1 << 18, DataType.FLOAT32, ReduceOp.SUM);
                        comm.broadcast(large, 0, 1 << 20, 1);
                    }
                }
                allocated[comm.rank()] = threads.getCurrentThreadAllocatedBytes() - before;
            }
        }));
        for (int r = 0; r < 2; r++)
        {
            // Allow a little for JIT deoptimisation traces; per-call allocation would be hundreds of KiB here.
            assertTrue(allocated[r] < 16 * 1024, "rank " + r + " allocated " + allocated[r] + " bytes");
        }
        assertEquals(2, allocated.length);
    }
}
