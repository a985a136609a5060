package io.slipstream.comm.transport;

import io.slipstream.comm.CollectiveMismatchException;
import io.slipstream.comm.CommException;
import io.slipstream.comm.DataType;
import io.slipstream.comm.ReduceOp;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The collective algorithms driven through {@code doWork()} over in-memory links: no media driver, one thread. */
class AlgorithmsTest
{
    private static final int CHUNK = 4096;

    private static long value(final int rank, final int i)
    {
        return (rank * 31L + i * 7L) % 19 - 9;
    }

    private static UnsafeBuffer filled(final int rank, final int count)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(Math.max(64, count * 4), 64));
        for (int i = 0; i < count; i++)
        {
            buffer.putFloat(i * 4, value(rank, i));
        }
        return buffer;
    }

    private static void assertReduced(final FakeRanks world, final UnsafeBuffer[] buffers, final int count)
    {
        for (int r = 0; r < world.size(); r++)
        {
            for (int i = 0; i < count; i++)
            {
                long expected = 0;
                for (int q = 0; q < world.size(); q++)
                {
                    expected += value(q, i);
                }
                assertEquals(expected, (long)buffers[r].getFloat(i * 4), "rank " + r + " element " + i);
                assertEquals(Float.floatToRawIntBits(buffers[0].getFloat(i * 4)),
                    Float.floatToRawIntBits(buffers[r].getFloat(i * 4)), "bit identity, element " + i);
            }
        }
    }

    @Test
    void ringAllreduceUnderBackPressureGivesEveryRankTheSum()
    {
        for (final int n : new int[] {2, 3, 4, 5})
        {
            // A window of two chunks: senders must stop and resume many times.
            final FakeRanks world = new FakeRanks(n, CHUNK, 2 * (CHUNK + 128), false);
            final int count = 50_003;
            final UnsafeBuffer[] buffers = new UnsafeBuffer[n];
            for (int r = 0; r < n; r++)
            {
                buffers[r] = filled(r, count);
                world.startAllreduce(r, buffers[r], count, DataType.FLOAT32, ReduceOp.SUM, false);
            }
            world.runAll(1_000_000);
            assertReduced(world, buffers, count);
            assertTrue(world.links.drained(), "every frame sent was taken");
            final long chunksPerRank = world.ranks[0].counters.framesSent();
            assertTrue(chunksPerRank >= 2L * (n - 1), n + " ranks: " + chunksPerRank + " frames");
            assertEquals(world.ranks[1].counters.framesSent(), world.ranks[0].counters.framesReceived());
        }
    }

    @Test
    void recursiveDoublingFoldsInRanksBeyondAPowerOfTwo()
    {
        for (final int n : new int[] {2, 3, 5, 6, 7})
        {
            final FakeRanks world = new FakeRanks(n, CHUNK, 1 << 20, false);
            final int count = 3_000; // three chunks of the whole vector per exchange
            final UnsafeBuffer[] buffers = new UnsafeBuffer[n];
            for (int r = 0; r < n; r++)
            {
                buffers[r] = filled(r, count);
                world.startAllreduce(r, buffers[r], count, DataType.FLOAT32, ReduceOp.SUM, true);
            }
            world.runAll(100_000);
            assertReduced(world, buffers, count);
        }
    }

    @Test
    void broadcastTreeCopiesTheRootsBytesToEveryRank()
    {
        final int n = 6;
        final int root = 2;
        final int bytes = 10 * CHUNK + 13;
        final FakeRanks world = new FakeRanks(n, CHUNK, 3 * CHUNK, false);
        final UnsafeBuffer[] buffers = new UnsafeBuffer[n];
        for (int r = 0; r < n; r++)
        {
            buffers[r] = new UnsafeBuffer(new byte[bytes]);
            if (r == root)
            {
                for (int i = 0; i < bytes; i++)
                {
                    buffers[r].putByte(i, (byte)(i * 13));
                }
            }
            world.ranks[r].call.begin(FrameHeader.OP_BROADCAST, buffers[r], 0, bytes, null, null, root, n);
            world.ranks[r].running = world.ranks[r].tree.start();
        }
        world.runAll(100_000);
        for (int r = 0; r < n; r++)
        {
            for (int i = 0; i < bytes; i++)
            {
                assertEquals((byte)(i * 13), buffers[r].getByte(i), "rank " + r + " byte " + i);
            }
        }
    }

    @Test
    void doWorkReportsNoWorkWhileThePeerHasNotStarted()
    {
        final FakeRanks world = new FakeRanks(2, CHUNK, 1 << 20, false);
        final UnsafeBuffer buffer = filled(0, 10);
        world.startAllreduce(0, buffer, 10, DataType.FLOAT32, ReduceOp.SUM, true);
        final CollectiveAlgorithm mine = world.ranks[0].running;
        assertEquals(1, mine.doWork(), "its one chunk goes out");
        assertEquals(0, mine.doWork(), "then nothing to do until rank 1 sends");
        assertEquals(1, mine.waitingOn());
        assertTrue(!mine.isDone());
        world.startAllreduce(1, filled(1, 10), 10, DataType.FLOAT32, ReduceOp.SUM, true);
        world.runAll(100);
        assertEquals(value(0, 3) + value(1, 3), (long)buffer.getFloat(12));
    }

    @Test
    void aDifferentCountIsAMismatchThatEndsTheJob()
    {
        final FakeRanks world = new FakeRanks(2, CHUNK, 1 << 20, false);
        world.startAllreduce(0, filled(0, 10), 10, DataType.FLOAT32, ReduceOp.SUM, true);
        world.startAllreduce(1, filled(1, 11), 11, DataType.FLOAT32, ReduceOp.SUM, true);
        final CommException error = assertThrows(CommException.class, () -> world.runAll(100));
        assertInstanceOf(CollectiveMismatchException.class, error);
        assertTrue(error.getMessage().contains("allreduce(count=10, FLOAT32, SUM) #1") &&
            error.getMessage().contains("allreduce(count=11, FLOAT32, SUM) #1"), error.getMessage());
        assertTrue(world.ranks[0].control.abortMismatch || world.ranks[1].control.abortMismatch);
    }

    @Test
    void foreignFramesAreDroppedCountedAndCostNothing()
    {
        final FakeRanks world = new FakeRanks(2, CHUNK, 1 << 20, false);
        world.links.inject(1, 0, new byte[] {1, 2, 3});
        world.links.inject(1, 0, new byte[64]);
        final UnsafeBuffer[] buffers = {filled(0, 100), filled(1, 100)};
        world.startAllreduce(0, buffers[0], 100, DataType.FLOAT32, ReduceOp.SUM, true);
        world.startAllreduce(1, buffers[1], 100, DataType.FLOAT32, ReduceOp.SUM, true);
        world.runAll(100);
        assertReduced(world, buffers, 100);
        assertEquals(2, world.ranks[0].counters.framesDropped());
        assertEquals(0, world.ranks[1].counters.framesDropped());
    }

    @Test
    void aCorruptedPayloadFailsItsChecksum()
    {
        final FakeRanks world = new FakeRanks(2, CHUNK, 1 << 20, true);
        world.startAllreduce(0, filled(0, 100), 100, DataType.FLOAT32, ReduceOp.SUM, true);
        world.ranks[0].running.doWork();
        final int frame = world.links.nextFrame(0, 1) + 32;
        final UnsafeBuffer log = world.links.log(0, 1);
        log.putByte(frame + FrameHeader.LENGTH + 5, (byte)(log.getByte(frame + FrameHeader.LENGTH + 5) ^ 1));
        world.startAllreduce(1, filled(1, 100), 100, DataType.FLOAT32, ReduceOp.SUM, true);
        final CommException error = assertThrows(CommException.class, () -> world.runAll(100));
        assertTrue(error.getMessage().contains("failed its CRC32C check"), error.getMessage());
    }
}
