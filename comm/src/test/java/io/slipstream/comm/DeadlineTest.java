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
    void absentRankTimesOutNamingItAfterTheDeadline()
    {
        final CommTimeoutException[] seen = new CommTimeoutException[2];
        final CommException[] aborted = new CommException[2];
        final long[] waitedMs = new long[2];
        assertTimeoutPreemptively(Duration.ofSeconds(40), () -> ThreadRanks.run(3,
            // Rank 0 reaches its deadline first; rank 1 then fails on rank 0's abort, not its own later deadline.
            (rank, builder) -> builder.deadline(Duration.ofSeconds(rank == 0 ? 2 : 20)), Duration.ofSeconds(35),
            (comm) ->
            {
                comm.barrier();
                if (comm.rank() < 2)
                {
                    final long start = System.nanoTime();
                    try
                    {
                        comm.allreduce(new float[100], ReduceOp.SUM);
                    }
                    catch (final CommTimeoutException ex)
                    {
                        seen[comm.rank()] = ex;
                        waitedMs[comm.rank()] = (System.nanoTime() - start) / 1_000_000;
                    }
                    catch (final CommException ex)
                    {
                        aborted[comm.rank()] = ex;
                        waitedMs[comm.rank()] = (System.nanoTime() - start) / 1_000_000;
                    }
                }
                else
                {
                    Thread.sleep(3_000); // absent for longer than the deadline
                }
            }));
        assertNotNull(seen[0], "rank 0 must time out");
        assertTrue(waitedMs[0] >= 1_900 && waitedMs[0] < 10_000, "waited " + waitedMs[0] + " ms");
        assertTrue(seen[0].getMessage().contains("allreduce #2"), seen[0].getMessage());
        // Rank 0 waits on rank 1 (fold-in of 3 ranks), but the stall inspector names the rank that never came.
        final String missing = notArrived(seen[0].getMessage());
        assertTrue(missing.contains("2") && !missing.contains("0"), seen[0].getMessage());
        assertNotNull(aborted[1], "rank 1 fails on rank 0's abort");
        assertTrue(waitedMs[1] < 10_000, "rank 1 did not wait for its own 20 s deadline: " + waitedMs[1] + " ms");
        assertTrue(aborted[1].getMessage().contains("rank 0 aborted the job"), aborted[1].getMessage());
    }

    /** The ranks a timeout names as not arrived ("1, 2"), or "" if it names none. */
    static String notArrived(final String message)
    {
        final String marker = "have not reached it: ";
        final int at = message.indexOf(marker);
        return at < 0 ? "" : message.substring(at + marker.length(), message.indexOf('.', at));
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
