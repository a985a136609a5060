package io.slipstream.comm;

import io.aeron.protocol.DataHeaderFlyweight;
import io.aeron.protocol.HeaderFlyweight;
import io.aeron.protocol.SetupFlyweight;
import io.slipstream.comm.bootstrap.ControlClient;
import io.slipstream.comm.bootstrap.ControlFrames;
import io.slipstream.comm.bootstrap.JobFault;
import io.slipstream.comm.bootstrap.JoinAuth;
import io.slipstream.comm.bootstrap.JoinRefusedException;
import io.slipstream.comm.transport.AeronCommunicator;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mismatched collectives, intruders without the secret, and garbage frames: errors on every rank, or no effect. */
class FaultTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    interface MismatchedCall
    {
        void call(Communicator comm);
    }

    @Test
    void allreduceAgainstBroadcastFailsOnEveryRank()
    {
        assertMismatchEverywhere(2, (comm) ->
        {
            if (comm.rank() == 0)
            {
                comm.allreduce(new float[10], ReduceOp.SUM);
            }
            else
            {
                comm.broadcast(new UnsafeBuffer(new byte[40]), 0, 40, 0);
            }
        });
    }

    @Test
    void differentCountsFailOnEveryRank()
    {
        assertMismatchEverywhere(3, (comm) -> comm.allreduce(new float[comm.rank() == 2 ? 11 : 10], ReduceOp.SUM));
    }

    @Test
    void differentTypesFailOnEveryRank()
    {
        assertMismatchEverywhere(3, (comm) ->
        {
            if (comm.rank() == 1)
            {
                comm.allreduce(new int[100_000], ReduceOp.SUM);
            }
            else
            {
                comm.allreduce(new float[100_000], ReduceOp.SUM);
            }
        });
    }

    private static void assertMismatchEverywhere(final int n, final MismatchedCall call)
    {
        final CommException[] errors = new CommException[n];
        final long start = System.nanoTime();
        assertTimeoutPreemptively(DEADLINE.multipliedBy(2), () -> ThreadRanks.run(n,
            (rank, builder) -> builder.deadline(DEADLINE), DEADLINE.multipliedBy(2), (comm) ->
            {
                comm.barrier();
                try
                {
                    call.call(comm);
                    comm.barrier(); // a rank whose own call completed learns of the abort here
                }
                catch (final CommException ex)
                {
                    errors[comm.rank()] = ex;
                }
            }));
        final long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertTrue(seconds < DEADLINE.toSeconds() / 2, "mismatch must be reported well before the deadline");
        for (int r = 0; r < n; r++)
        {
            assertNotNull(errors[r], "rank " + r + " must fail");
            assertInstanceOf(CollectiveMismatchException.class, errors[r], "rank " + r + ": " + errors[r]);
            assertTrue(errors[r].getMessage().contains("collective mismatch"), errors[r].getMessage());
        }
    }

    @Test
    void intrudersAreRefusedAndCostTheJobNothing()
    {
        final int port = ThreadRanks.freePort();
        final AtomicReference<Throwable> intruderFailure = new AtomicReference<>();
        assertTimeoutPreemptively(Duration.ofMinutes(1), () -> ThreadRanks.run(2,
            (rank, builder) -> builder.coordinator("127.0.0.1", port).jobId("intruded-" + port).deadline(DEADLINE),
            Duration.ofSeconds(55), (comm) ->
            {
                Thread intruder = null;
                if (comm.rank() == 0)
                {
                    intruder = new Thread(() -> intrude(port, intruderFailure), "intruder");
                    intruder.start();
                }
                for (int i = 0; i < 300; i++)
                {
                    final long[] value = {comm.rank() + i};
                    comm.allreduce(value, ReduceOp.SUM);
                    assertEquals(2L * i + 1, value[0]);
                }
                if (intruder != null)
                {
                    intruder.join(30_000);
                }
                comm.barrier();
            }));
        if (intruderFailure.get() != null)
        {
            throw new AssertionError("intruder check failed", intruderFailure.get());
        }
    }

    private static void intrude(final int port, final AtomicReference<Throwable> failure)
    {
        try
        {
            final long deadline = System.nanoTime() + 10_000_000_000L;
            final CommConfig wrongSecret = CommConfig.builder().rank(1).size(2).coordinator("127.0.0.1", port)
                .jobId("intruded-" + port).secret("not-the-job-secret-at-all".getBytes(StandardCharsets.UTF_8))
                .hostId("local").build();
            final JoinRefusedException refused = assertThrows(JoinRefusedException.class,
                () -> ControlClient.connect(wrongSecret, new JobFault(), deadline));
            assertTrue(refused.getMessage().contains("proof does not match this job's secret"), refused.getMessage());
            // A client that connects and stays silent must not stall anything.
            try (Socket silent = new Socket())
            {
                silent.connect(new InetSocketAddress("127.0.0.1", port));
                // Garbage, including a frame that claims to be 2 GiB long.
                try (Socket garbage = new Socket())
                {
                    garbage.connect(new InetSocketAddress("127.0.0.1", port));
                    final OutputStream out = garbage.getOutputStream();
                    out.write(ByteBuffer.allocate(8).putInt(Integer.MAX_VALUE).putInt(0xDEADBEEF).array());
                    final byte[] noise = new byte[4096];
                    new Random(1).nextBytes(noise);
                    out.write(noise);
                    out.flush();
                }
                catch (final IOException expected)
                {
                    // The coordinator may close on us mid-write: that is the refusal.
                }
            }
        }
        catch (final Throwable ex)
        {
            failure.set(ex);
        }
    }

    @Test
    void aCoordinatorThatDiesDuringAJoinIsALostRankZeroNotARefusal() throws Exception
    {
        try (ServerSocket coordinator = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            final Thread dying = new Thread(() ->
            {
                try (Socket joiner = coordinator.accept())
                {
                    final DataOutputStream out = new DataOutputStream(joiner.getOutputStream());
                    ControlFrames.write(out, ControlFrames.HELLO, ByteBuffer.allocate(ControlFrames.HELLO_BYTES)
                        .putInt(ControlFrames.PROTOCOL_MAGIC).putInt(ControlFrames.PROTOCOL_VERSION).putInt(2)
                        .put(JoinAuth.newNonce()).array());
                    ControlFrames.read(new DataInputStream(joiner.getInputStream()), ControlFrames.MAX_HANDSHAKE_FRAME);
                }
                catch (final IOException ignored)
                {
                    // The test below sees what the joiner made of it.
                }
            }, "dying-coordinator");
            dying.start();
            final CommConfig config = CommConfig.builder().rank(1).size(2)
                .coordinator("127.0.0.1", coordinator.getLocalPort()).jobId("dying")
                .secret("0123456789abcdef0123".getBytes(StandardCharsets.UTF_8)).hostId("local").build();
            final JobFault fault = new JobFault();
            final long start = System.nanoTime();
            final IOException ex = assertThrows(IOException.class,
                () -> ControlClient.connect(config, fault, start + 30_000_000_000L));
            assertFalse(ex instanceof JoinRefusedException, ex.toString());
            assertTrue(System.nanoTime() - start < 10_000_000_000L, "gave up at once, not at the deadline");
            final CommException named = fault.toException(1, "connect", 0);
            assertTrue(named instanceof PeerLostException && ((PeerLostException)named).lostRank() == 0,
                named.getMessage());
            assertTrue(named.getMessage().contains("rank 0 (the coordinator) closed the connection"),
                named.getMessage());
            dying.join(10_000);
        }
    }

    @Test
    void garbageDatagramsAtAUdpInboxAreDroppedAndResultsStayRight()
    {
        assertTimeoutPreemptively(Duration.ofMinutes(1), () -> ThreadRanks.run(2,
            (rank, builder) -> builder.hostId("h" + rank).advertiseAddress("127.0.0." + (rank + 2)).deadline(DEADLINE),
            Duration.ofSeconds(55), (comm) ->
            {
                final AeronCommunicator aeron = (AeronCommunicator)comm;
                final byte[][] endpoints = comm.allgatherBytes(aeron.udpEndpoint().getBytes(StandardCharsets.UTF_8));
                Thread attacker = null;
                if (comm.rank() == 0)
                {
                    final String target = new String(endpoints[1], StandardCharsets.UTF_8);
                    attacker = new Thread(() -> spray(target, aeron.inboxStreamId() + 1), "attacker");
                    attacker.start();
                }
                final float[] data = new float[50_000];
                for (int round = 0; round < 40; round++)
                {
                    for (int i = 0; i < data.length; i++)
                    {
                        data[i] = Reference.value(comm.rank(), i + round);
                    }
                    comm.allreduce(data, ReduceOp.SUM);
                    for (int i = 0; i < data.length; i++)
                    {
                        assertEquals(Reference.expected(ReduceOp.SUM, 2, i + round), (long)data[i], "round " + round);
                    }
                }
                if (attacker != null)
                {
                    attacker.join(30_000);
                }
                comm.barrier();
                if (comm.rank() == 1)
                {
                    final long end = System.nanoTime() + 5_000_000_000L;
                    while (aeron.foreignImages() == 0 && System.nanoTime() < end)
                    {
                        Thread.sleep(10);
                    }
                    assertTrue(aeron.foreignImages() >= 1, "the unannounced stream is seen, counted and never read");
                }
            }));
    }

    /** Random datagrams, truncated Aeron headers, and a well-formed Aeron stream from a session nobody announced. */
    private static void spray(final String endpoint, final int streamId)
    {
        final int colon = endpoint.lastIndexOf(':');
        final InetSocketAddress target =
            new InetSocketAddress(endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1)));
        final Random random = new Random(7);
        try (DatagramSocket socket = new DatagramSocket())
        {
            for (int i = 0; i < 300; i++)
            {
                final byte[] junk = new byte[random.nextInt(1400)];
                random.nextBytes(junk);
                if (junk.length > 8 && i % 3 == 0)
                {
                    // Looks like an Aeron data frame header but is truncated or lies about its length.
                    ByteBuffer.wrap(junk).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(random.nextInt(65536))
                        .put((byte)0).put((byte)0xC0).putShort((short)HeaderFlyweight.HDR_TYPE_DATA);
                }
                socket.send(new DatagramPacket(junk, junk.length, target));
            }
            final int session = 0x5EED;
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[1024]);
            final SetupFlyweight setup = new SetupFlyweight();
            setup.wrap(frame, 0, SetupFlyweight.HEADER_LENGTH);
            setup.version(HeaderFlyweight.CURRENT_VERSION).flags((short)0).headerType(HeaderFlyweight.HDR_TYPE_SETUP)
                .frameLength(SetupFlyweight.HEADER_LENGTH);
            setup.termOffset(0).sessionId(session).streamId(streamId).initialTermId(0).activeTermId(0)
                .termLength(64 * 1024).mtuLength(1408).ttl(0);
            socket.send(new DatagramPacket(frame.byteArray(), SetupFlyweight.HEADER_LENGTH, target));
            final DataHeaderFlyweight data = new DataHeaderFlyweight();
            for (int i = 0; i < 50; i++)
            {
                data.wrap(frame, 0, 1024);
                data.version(HeaderFlyweight.CURRENT_VERSION).flags((short)0xC0)
                    .headerType(HeaderFlyweight.HDR_TYPE_DATA)
                    .frameLength(DataHeaderFlyweight.HEADER_LENGTH + 64);
                data.termOffset(i * 128).sessionId(session).streamId(streamId).termId(0);
                for (int b = DataHeaderFlyweight.HEADER_LENGTH; b < 128; b++)
                {
                    frame.putByte(b, (byte)random.nextInt());
                }
                socket.send(new DatagramPacket(frame.byteArray(), 128, target));
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
