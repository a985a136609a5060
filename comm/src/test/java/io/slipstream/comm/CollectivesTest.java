package io.slipstream.comm;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Every collective, op and type against a sequential reference, for world sizes 1 to 5, ranks as threads over IPC. */
class CollectivesTest
{
    private static final int[] LENGTHS = {0, 1, 7, 1009, 5003, 1 << 20}; // 5003: several UDP chunks, one IPC chunk
    private static final int GUARD = 16;

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void everyCollectiveMatchesTheReference(final int n)
    {
        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> ThreadRanks.run(
            n, (rank, builder) -> builder, Duration.ofSeconds(110), CollectivesTest::checkAll));
    }

    static void checkAll(final Communicator comm)
    {
        final int n = comm.size();
        final int r = comm.rank();
        final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(8 * (1 << 20) + 64, 64));
        for (final int length : LENGTHS)
        {
            for (final DataType type : DataType.values())
            {
                for (final ReduceOp op : ReduceOp.values())
                {
                    if (length == 1 << 20 && op != ReduceOp.SUM && type != DataType.FLOAT32)
                    {
                        continue; // keep the large case to SUM for every type plus MAX/MIN for float32
                    }
                    Reference.fill(buffer, GUARD, type, length, r);
                    buffer.putLong(0, 0x5A5A5A5AL);
                    buffer.putLong(GUARD + length * type.bytes(), 0x5A5A5A5AL);
                    comm.allreduce(buffer, GUARD, length, type, op);
                    assertEquals(-1, Reference.firstWrong(buffer, GUARD, type, op, n, 0, length),
                        "allreduce " + type + " " + op + " length " + length + " on rank " + r);
                    assertEquals(0x5A5A5A5AL, buffer.getLong(0), "guard before the data");
                    assertEquals(0x5A5A5A5AL, buffer.getLong(GUARD + length * type.bytes()), "guard after");

                    Reference.fill(buffer, GUARD, type, length, r);
                    comm.reduceScatter(buffer, GUARD, length, type, op);
                    assertEquals(-1, Reference.firstWrong(buffer, GUARD, type, op, n,
                        comm.blockStart(length, r), comm.blockStart(length, r + 1)),
                        "reduceScatter " + type + " " + op + " length " + length + " on rank " + r);
                }
            }
            checkBroadcastAndAllgather(comm, buffer, length);
        }
        checkArrays(comm);
        checkBitIdenticalFloats(comm);
        checkBytes(comm);
        checkSplit(comm);
        comm.barrier();
    }

    private static void checkBroadcastAndAllgather(final Communicator comm, final UnsafeBuffer buffer, final int length)
    {
        final int n = comm.size();
        final int r = comm.rank();
        for (int root = 0; root < n; root++)
        {
            for (int i = 0; i < length; i++)
            {
                buffer.putByte(i, (byte)(r == root ? i * 13 + root : -1));
            }
            comm.broadcast(buffer, 0, length, root);
            for (int i = 0; i < length; i++)
            {
                assertEquals((byte)(i * 13 + root), buffer.getByte(i), "broadcast from " + root + " byte " + i);
            }
        }
        final int each = Math.min(length, (8 << 20) / n / 2);
        final UnsafeBuffer send = new UnsafeBuffer(ByteBuffer.allocateDirect(Math.max(1, each)));
        for (int i = 0; i < each; i++)
        {
            send.putByte(i, (byte)(i * 3 + r));
        }
        comm.allgather(send, 0, each, buffer, 0);
        for (int q = 0; q < n; q++)
        {
            for (int i = 0; i < each; i++)
            {
                assertEquals((byte)(i * 3 + q), buffer.getByte(q * each + i), "allgather from " + q + " byte " + i);
            }
        }
    }

    private static void checkArrays(final Communicator comm)
    {
        final int n = comm.size();
        final int r = comm.rank();
        final float[] f = new float[1000];
        final double[] d = new double[1000];
        final int[] i32 = new int[1000];
        final long[] i64 = new long[100_000];
        for (int i = 0; i < f.length; i++)
        {
            f[i] = Reference.value(r, i);
            d[i] = Reference.value(r, i);
            i32[i] = (int)Reference.value(r, i);
        }
        for (int i = 0; i < i64.length; i++)
        {
            i64[i] = Reference.value(r, i) << 40;
        }
        comm.allreduce(f, ReduceOp.SUM);
        comm.allreduce(d, ReduceOp.MAX);
        comm.allreduce(i32, ReduceOp.MIN);
        comm.allreduce(i64, ReduceOp.SUM);
        for (int i = 0; i < f.length; i++)
        {
            assertEquals(Reference.expected(ReduceOp.SUM, n, i), (long)f[i]);
            assertEquals(Reference.expected(ReduceOp.MAX, n, i), (long)d[i]);
            assertEquals(Reference.expected(ReduceOp.MIN, n, i), i32[i]);
        }
        for (int i = 0; i < i64.length; i++)
        {
            assertEquals(Reference.expected(ReduceOp.SUM, n, i) << 40, i64[i]);
        }
    }

    private static void checkBitIdenticalFloats(final Communicator comm)
    {
        final Random random = new Random(17 + comm.rank());
        for (final int length : new int[] {7, 3001, 200_000})
        {
            final float[] f = new float[length];
            final double[] d = new double[length];
            for (int i = 0; i < length; i++)
            {
                f[i] = (float)(random.nextGaussian() * Math.pow(10, random.nextInt(12) - 6));
                d[i] = random.nextGaussian() * Math.pow(10, random.nextInt(12) - 6);
            }
            comm.allreduce(f, ReduceOp.SUM);
            comm.allreduce(d, ReduceOp.SUM);
            final CRC32 crc = new CRC32();
            final ByteBuffer bytes = ByteBuffer.allocate(length * 12);
            bytes.asFloatBuffer().put(f);
            bytes.position(length * 4);
            bytes.slice().asDoubleBuffer().put(d);
            crc.update(bytes.array());
            final byte[][] all = comm.allgatherBytes(Long.toString(crc.getValue()).getBytes());
            for (final byte[] other : all)
            {
                assertArrayEquals(all[0], other, "float sums must be bit-identical on every rank, length " + length);
            }
        }
    }

    private static void checkBytes(final Communicator comm)
    {
        final byte[] mine = new byte[comm.rank() * 3 + 1];
        Arrays.fill(mine, (byte)comm.rank());
        final byte[][] all = comm.allgatherBytes(mine);
        for (int q = 0; q < comm.size(); q++)
        {
            assertEquals(q * 3 + 1, all[q].length);
            assertEquals((byte)q, all[q][0]);
        }
        final byte[] hello = comm.broadcastBytes(comm.rank() == comm.size() - 1 ? "hello".getBytes() : null,
            comm.size() - 1);
        assertEquals("hello", new String(hello));
    }

    private static void checkSplit(final Communicator comm)
    {
        final int r = comm.rank();
        final int n = comm.size();
        // Two groups by parity; keys reverse the order inside each group.
        try (Communicator sub = comm.split(r % 2, n - r))
        {
            final int expectedSize = (n + 1 - r % 2) / 2;
            assertEquals(expectedSize, sub.size());
            final long[] ranks = {r};
            sub.allreduce(ranks, ReduceOp.SUM);
            long sum = 0;
            for (int q = r % 2; q < n; q += 2)
            {
                sum += q;
            }
            assertEquals(sum, ranks[0], "sum of world ranks in group " + r % 2);
            final int[] order = {sub.rank() == 0 ? r : -1};
            sub.allreduce(order, ReduceOp.MAX);
            final int highestInGroup = r % 2 == 0 ? (n - 1) / 2 * 2 : (n - 2) / 2 * 2 + 1;
            assertEquals(highestInGroup, order[0], "key order: the largest world rank is sub rank 0");
            comm.barrier();
            try (Communicator subSub = sub.split(0, 0))
            {
                final int[] one = {1};
                subSub.allreduce(one, ReduceOp.SUM);
                assertEquals(expectedSize, one[0]);
            }
        }
        assertNull(comm.split(-1, 0), "a negative color joins no communicator");
        // Negative and positive keys: order is by signed key, ties by rank.
        try (Communicator byKey = comm.split(7, r % 2 == 0 ? -r : r))
        {
            final int[] position = {byKey.rank() == 0 ? r : -1};
            byKey.allreduce(position, ReduceOp.MAX);
            assertEquals((n - 1) / 2 * 2, position[0], "the most negative key is rank 0 of the new communicator");
        }
        final int[] all = {1};
        comm.allreduce(all, ReduceOp.SUM);
        assertEquals(n, all[0]);
    }
}
