package io.slipstream.comm;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The collectives over UDP between 127.0.0.x "hosts", over a mix of IPC and UDP, and one 64 MiB allreduce. */
class TransportTest
{
    @Test
    void udpBetweenThreeHosts()
    {
        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> ThreadRanks.run(3,
            (rank, builder) -> builder.hostId("host" + rank).advertiseAddress("127.0.0." + (rank + 1)),
            Duration.ofSeconds(110), CollectivesTest::checkAll));
    }

    @Test
    void ipcWithinAndUdpAcrossTwoHosts()
    {
        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> ThreadRanks.run(4,
            (rank, builder) -> builder.hostId("node" + rank / 2).advertiseAddress("127.0.0." + (2 + rank / 2)),
            Duration.ofSeconds(110), CollectivesTest::checkAll));
    }

    @Test
    void udpForcedOnOneHostWithChecksums()
    {
        assertTimeoutPreemptively(Duration.ofMinutes(1), () -> ThreadRanks.run(2,
            (rank, builder) -> builder.transport(TransportKind.UDP).checksums(true),
            Duration.ofSeconds(55), comm ->
            {
                final float[] data = new float[300_000];
                for (int i = 0; i < data.length; i++)
                {
                    data[i] = Reference.value(comm.rank(), i);
                }
                comm.allreduce(data, ReduceOp.SUM);
                for (int i = 0; i < data.length; i++)
                {
                    assertEquals(Reference.expected(ReduceOp.SUM, 2, i), (long)data[i]);
                }
            }));
    }

    @Test
    void sixtyFourMebibytesOnTwoRanks()
    {
        final int count = 16 << 20; // 64 MiB of float32
        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> ThreadRanks.run(2,
            (rank, builder) -> builder, Duration.ofSeconds(110), comm ->
            {
                final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(count * 4, 64));
                Reference.fill(buffer, 0, DataType.FLOAT32, count, comm.rank());
                comm.allreduce(buffer, 0, count, DataType.FLOAT32, ReduceOp.SUM);
                assertEquals(-1, Reference.firstWrong(buffer, 0, DataType.FLOAT32, ReduceOp.SUM, 2, 0, count));
            }));
    }
}
