package io.slipstream.comm.bootstrap;

import io.slipstream.comm.CommConfig;
import io.slipstream.comm.ThreadRanks;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A start-up no outsider can block: the coordinator against connections that never prove the secret. */
class StartUpTest
{
    private static final byte[] SECRET = "the-real-secret-of-this-job".getBytes(StandardCharsets.UTF_8);

    private static CommConfig config(final int rank, final int size, final int port, final String host)
    {
        return CommConfig.builder().rank(rank).size(size).coordinator(host, port).jobId("start-up-" + port)
            .secret(SECRET).hostId("local").deadline(Duration.ofSeconds(20)).build();
    }

    @Test
    void aRankStartedForAnotherWorldSizeIsRefusedAtOnceNamingBothSizes()
    {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
        {
            final int port = ThreadRanks.freePort();
            try (Coordinator coordinator = Coordinator.start(config(0, 2, port, "127.0.0.1")))
            {
                final long start = System.nanoTime();
                final JoinRefusedException refused = assertThrows(JoinRefusedException.class,
                    () -> ControlClient.connect(config(2, 3, port, "127.0.0.1"), new JobFault(),
                        System.nanoTime() + 20_000_000_000L));
                assertTrue(refused.getMessage().contains("world of 3 ranks but the coordinator's job has 2"),
                    refused.getMessage());
                assertTrue(System.nanoTime() - start < 10_000_000_000L, "refused at once, not at the deadline");
            }
        });
    }

    @Test
    void aHundredSilentConnectionsDoNotKeepTheRealRanksOut()
    {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
        {
            final int port = ThreadRanks.freePort();
            final List<Socket> squatters = new ArrayList<>();
            try (Coordinator coordinator = Coordinator.start(config(0, 3, port, "127.0.0.1")))
            {
                for (int i = 0; i < 100; i++)
                {
                    final Socket socket = new Socket();
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                    squatters.add(socket); // says nothing, reads nothing
                }
                final ControlClient[] clients = new ControlClient[3];
                final Thread[] joiners = new Thread[3];
                final Throwable[] failures = new Throwable[3];
                final long start = System.nanoTime();
                for (int r = 0; r < 3; r++)
                {
                    final int rank = r;
                    joiners[r] = new Thread(() ->
                    {
                        try
                        {
                            clients[rank] = ControlClient.connect(config(rank, 3, port, "127.0.0.1"), new JobFault(),
                                System.nanoTime() + 20_000_000_000L);
                        }
                        catch (final Throwable ex)
                        {
                            failures[rank] = ex;
                        }
                    });
                    joiners[r].start();
                }
                for (int r = 0; r < 3; r++)
                {
                    joiners[r].join(30_000);
                    if (failures[r] != null)
                    {
                        throw new AssertionError("rank " + r + " could not join", failures[r]);
                    }
                }
                assertTrue(System.nanoTime() - start < 15_000_000_000L, "joined within the deadline");
                final byte[][][] tables = new byte[3][][];
                final Thread[] rounds = new Thread[3];
                for (int r = 0; r < 3; r++)
                {
                    final int rank = r;
                    rounds[r] = new Thread(() ->
                    {
                        try
                        {
                            tables[rank] = clients[rank].round(1, new byte[] {(byte)rank}, System.nanoTime() +
                                10_000_000_000L, "test round");
                        }
                        catch (final IOException | InterruptedException ex)
                        {
                            failures[rank] = ex;
                        }
                    });
                    rounds[r].start();
                }
                for (int r = 0; r < 3; r++)
                {
                    rounds[r].join(15_000);
                    assertArrayEquals(new byte[] {(byte)r}, tables[0][r], "round entry of rank " + r);
                    clients[r].finishedTogether();
                }
                for (final ControlClient client : clients)
                {
                    client.close();
                }
            }
            finally
            {
                for (final Socket socket : squatters)
                {
                    socket.close();
                }
            }
        });
    }

    @Test
    void aJoinThatTricklesInIsCutOffAtTheHandshakeLimit()
    {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
        {
            final int port = ThreadRanks.freePort();
            try (Coordinator coordinator = Coordinator.start(config(0, 2, port, "127.0.0.1"));
                Socket slow = new Socket())
            {
                slow.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                final OutputStream out = slow.getOutputStream();
                final InputStream in = slow.getInputStream();
                final long start = System.nanoTime();
                boolean closed = false;
                // A frame that says it is 16 bytes long, one byte every 800 ms: never a read timeout, and its whole
                // handshake would take 16 s.
                final byte[] frame =
                    {0, 0, 0, 16, ControlFrames.JOIN, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
                int sent = 0;
                while (!closed && System.nanoTime() - start < 20_000_000_000L)
                {
                    try
                    {
                        out.write(frame[sent++ % frame.length]);
                        out.flush();
                        Thread.sleep(800);
                        while (in.available() > 0)
                        {
                            in.read();
                        }
                    }
                    catch (final IOException ex)
                    {
                        closed = true;
                    }
                    if (!closed)
                    {
                        slow.setSoTimeout(1);
                        try
                        {
                            closed = in.read() < 0;
                        }
                        catch (final java.net.SocketTimeoutException stillOpen)
                        {
                            // nothing to read yet
                        }
                    }
                }
                final long seconds = (System.nanoTime() - start) / 1_000_000_000L;
                assertTrue(closed, "the coordinator never ended the trickling join");
                assertTrue(seconds <= 8, "ended after " + seconds + " s, the limit is 5 s of handshake");
            }
        });
    }

    @Test
    void aJobEntirelyOnThisHostListensOnLoopbackOnly() throws IOException
    {
        final int port = ThreadRanks.freePort();
        try (Coordinator local = Coordinator.start(config(0, 2, port, "127.0.0.1")))
        {
            assertTrue(local.boundAddress().isLoopbackAddress(), String.valueOf(local.boundAddress()));
        }
        assertEquals(null, Coordinator.bindAddress("node17.cluster"), "another host: every interface");
        assertTrue(Coordinator.bindAddress("localhost").isLoopbackAddress());
        assertTrue(Coordinator.bindAddress("127.0.0.5").isLoopbackAddress());
    }
}
