package io.slipstream.comm.bootstrap;

import io.slipstream.comm.CommConfig;
import io.slipstream.comm.CommTimeoutException;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A rank's connection to the coordinator: joins with the challenge-response, then carries rounds (every rank's
 * announcement gathered into one table), ABORTs, stall questions and the coordinator's DEAD notices. A heartbeat
 * thread tells the coordinator, at the period it gave at the join, that this rank is alive and what it is doing
 * ({@link RankActivity}), however long the program computes between collectives. A reader thread turns DEAD,
 * ABORT and the coordinator's own loss (its connection ends, or it is silent past the liveness limit: stopped or
 * cut off) into the shared {@link JobFault}.
 */
public final class ControlClient implements AutoCloseable
{
    private static final int HANDSHAKE_TIMEOUT_MS = 5_000;
    private static final java.util.Random RETRY_JITTER = new java.util.Random();

    /** The coordinator turned this join away only for now (too many joins at once): try again. */
    private static final class BusyRefusal extends IOException
    {
        private static final long serialVersionUID = 1L;

        BusyRefusal(final String reason)
        {
            super(reason);
        }
    }

    private final int rank;
    private final JobFault fault;
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final Thread reader;
    private final Thread heartbeats;
    private final RankActivity activity = new RankActivity();
    private final Map<Integer, byte[][]> tables = new HashMap<>();
    private volatile StallNote stallNote;
    private volatile boolean finishedTogether;
    private volatile boolean leaving;
    private volatile IntFunction<String> missingRanks;
    private Liveness liveness;

    private ControlClient(final int rank, final JobFault fault, final Socket socket) throws IOException
    {
        this.rank = rank;
        this.fault = fault;
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
        this.reader = new Thread(this::readLoop, "slipstream-control-" + rank);
        this.reader.setDaemon(true);
        this.heartbeats = new Thread(this::heartbeatLoop, "slipstream-heartbeat-" + rank);
        this.heartbeats.setDaemon(true);
    }

    /**
     * Connects to the coordinator, retrying until {@code deadlineNs} (rank 0 may not listen yet, or may be busy with
     * other joins), and proves this rank knows the job secret; the coordinator must prove it too. A refusal for a
     * wrong secret, a rank started twice or another protocol is final and thrown at once.
     */
    public static ControlClient connect(final CommConfig config, final JobFault fault, final long deadlineNs)
        throws IOException, InterruptedException
    {
        IOException last = null;
        while (System.nanoTime() < deadlineNs)
        {
            final Socket socket = new Socket();
            try
            {
                final long leftMs = Math.max(1, (deadlineNs - System.nanoTime()) / 1_000_000L);
                socket.connect(
                    new InetSocketAddress(config.coordinatorHost(), config.coordinatorPort()),
                    (int)Math.min(leftMs, 5_000));
                socket.setTcpNoDelay(true);
                // A coordinator says HELLO at once; a port that accepts and stays silent is not ours (or is stuck),
                // so give up on this connection soon and try again while the deadline allows.
                socket.setSoTimeout((int)Math.min(Math.max(leftMs, 1_000), HANDSHAKE_TIMEOUT_MS));
                final ControlClient client = new ControlClient(config.rank(), fault, socket);
                client.handshake(new JoinAuth(config.secretKey(), config.jobId()), config.size());
                // The coordinator heartbeats at the agreed period: silence past the limit means it is gone.
                socket.setSoTimeout(client.liveness.timeoutMs());
                client.reader.start();
                client.heartbeats.start();
                return client;
            }
            catch (final JoinRefusedException ex)
            {
                socket.close();
                throw ex;
            }
            catch (final BusyRefusal ex)
            {
                socket.close();
                last = ex;
                Thread.sleep(100 + RETRY_JITTER.nextInt(200));
                continue;
            }
            catch (final IOException ex)
            {
                socket.close();
                if (fault.isSet())
                {
                    throw ex;
                }
                last = ex;
                Thread.sleep(50);
            }
        }
        throw new IOException("rank " + config.rank() + " could not join the coordinator at " +
            config.coordinatorHost() + ":" + config.coordinatorPort() + " before the deadline" +
            (last == null ? "" : " (last error: " + last.getMessage() + ")") +
            "; check that rank 0 runs and that the address and port are reachable", last);
    }

    private void handshake(final JoinAuth auth, final int size) throws IOException
    {
        final ControlFrames.Frame hello = ControlFrames.read(in, ControlFrames.MAX_HANDSHAKE_FRAME);
        throwIfRefused(hello);
        final ByteBuffer h = ByteBuffer.wrap(hello.payload());
        if (hello.type() != ControlFrames.HELLO || hello.payload().length != ControlFrames.HELLO_BYTES ||
            h.getInt() != ControlFrames.PROTOCOL_MAGIC || h.getInt() != ControlFrames.PROTOCOL_VERSION)
        {
            throw new JoinRefusedException("the coordinator port does not speak Slipstream protocol v" +
                ControlFrames.PROTOCOL_VERSION + "; check the coordinator address and port");
        }
        final int coordinatorSize = h.getInt();
        if (coordinatorSize != size)
        {
            throw new JoinRefusedException("rank " + rank + " was started for a world of " + size +
                " ranks but the coordinator's job has " + coordinatorSize + "; start every rank with the same size " +
                "(SLIPSTREAM_SIZE, SLURM_NTASKS, WORLD_SIZE or OMPI_COMM_WORLD_SIZE)");
        }
        final byte[] serverNonce = new byte[JoinAuth.NONCE_BYTES];
        h.get(serverNonce);
        final byte[] clientNonce = JoinAuth.newNonce();
        ControlFrames.write(out, ControlFrames.JOIN, ByteBuffer.allocate(12 + JoinAuth.NONCE_BYTES + JoinAuth.MAC_BYTES)
            .putInt(ControlFrames.PROTOCOL_MAGIC).putInt(ControlFrames.PROTOCOL_VERSION).putInt(rank)
            .put(clientNonce).put(auth.joinProof(rank, serverNonce, clientNonce)).array());
        final ControlFrames.Frame welcome;
        try
        {
            welcome = ControlFrames.read(in, ControlFrames.MAX_HANDSHAKE_FRAME);
        }
        catch (final IOException ex)
        {
            // A refusal is said first (REFUSED); a connection that just ends means rank 0 is gone.
            final String why = "rank 0 (the coordinator) closed the connection during rank " + rank +
                "'s join without refusing it: it died or stopped";
            fault.peerLost(0, why);
            throw new IOException(why, ex);
        }
        throwIfRefused(welcome);
        final byte[] payload = welcome.payload();
        if (welcome.type() != ControlFrames.WELCOME || payload.length != JoinAuth.MAC_BYTES + 8 ||
            !JoinAuth.matches(auth.welcomeProof(rank, serverNonce, clientNonce),
                java.util.Arrays.copyOf(payload, JoinAuth.MAC_BYTES)))
        {
            throw new JoinRefusedException("the coordinator could not prove it knows this job's secret; " +
                "another job may be listening on the coordinator port");
        }
        final ByteBuffer terms = ByteBuffer.wrap(payload, JoinAuth.MAC_BYTES, 8);
        final int periodMs = terms.getInt();
        final int timeoutMs = terms.getInt();
        if (periodMs < 1 || timeoutMs < periodMs)
        {
            throw new JoinRefusedException("the coordinator sent heartbeat terms " + periodMs + "/" + timeoutMs +
                " ms; is it another Slipstream version?");
        }
        liveness = new Liveness(periodMs, timeoutMs);
    }

    private void throwIfRefused(final ControlFrames.Frame frame) throws IOException
    {
        if (frame.type() == ControlFrames.REFUSED)
        {
            final ControlMessages.Refusal refusal = ControlMessages.Refusal.decode(frame.payload());
            if (refusal.retry())
            {
                throw new BusyRefusal("the coordinator was busy (" + refusal.reason() + ")");
            }
            throw new JoinRefusedException("the coordinator refused rank " + rank + " (" + refusal.reason() +
                "): check that every rank has the same SLIPSTREAM_SECRET and job id and that rank " + rank +
                " is not started twice");
        }
    }

    /** On rank 0: names the ranks that hold up a round, for the error when a round misses its deadline. */
    public void describeMissingWith(final IntFunction<String> describer)
    {
        missingRanks = describer;
    }

    /**
     * Sends this rank's entry of round {@code round} and waits for the full table (entry r from rank r), failing
     * on the job fault or at {@code deadlineNs}.
     */
    public byte[][] round(final int round, final byte[] entry, final long deadlineNs, final String what)
        throws IOException, InterruptedException
    {
        ControlFrames.write(out, ControlFrames.ROUND, ByteBuffer.allocate(4 + entry.length).putInt(round).put(entry)
            .array());
        synchronized (tables)
        {
            while (true)
            {
                final byte[][] table = tables.remove(round);
                if (table != null)
                {
                    return table;
                }
                fault.throwIfSet(rank, what, round);
                final long leftMs = (deadlineNs - System.nanoTime()) / 1_000_000L;
                if (leftMs <= 0)
                {
                    final IntFunction<String> describer = missingRanks;
                    final String missing = describer == null ? "" : describer.apply(round);
                    throw new CommTimeoutException(rank, what, round, "not every rank reached it before the " +
                        "deadline: " + (missing.isEmpty() ? "a rank may have failed to start; rank 0's error names " +
                        "the ranks it lacks" : missing));
                }
                tables.wait(Math.min(leftMs, 50));
            }
        }
    }

    /** Tells every rank to fail with {@code message}. */
    public void abort(final String message, final boolean mismatch)
    {
        try
        {
            ControlFrames.write(out, ControlFrames.ABORT,
                new ControlMessages.AbortNotice(rank, mismatch, message).encode());
        }
        catch (final IOException ignore)
        {
            // The coordinator is gone: every rank sees that as rank 0's loss instead.
        }
    }

    /**
     * Asks the coordinator who holds up collective {@code seq} of communicator {@code commId} (world ranks
     * {@code members}), which this rank has waited on for long; the answer arrives as {@link #stallNote}. Not a hot
     * path: at most a few times per long wait.
     */
    public void reportStall(final int commId, final long seq, final String operation, final int[] members)
    {
        try
        {
            ControlFrames.write(out, ControlFrames.STALL,
                new ControlMessages.StallQuery(commId, seq, operation, members).encode());
        }
        catch (final IOException ignore)
        {
            // The coordinator is gone: that fault ends the collective anyway.
        }
    }

    /** The coordinator's latest answer about collective {@code seq} of {@code commId}, or null. */
    public StallNote stallNote(final int commId, final long seq)
    {
        final StallNote note = stallNote;
        return note != null && note.commId() == commId && note.seq() == seq ? note : null;
    }

    /** What this rank tells the coordinator it is doing, in every heartbeat. */
    public RankActivity activity()
    {
        return activity;
    }

    private void heartbeatLoop()
    {
        while (!leaving)
        {
            try
            {
                ControlFrames.write(out, ControlFrames.HEARTBEAT, activity.heartbeat().encode());
                Thread.sleep(liveness.periodMs());
            }
            catch (final IOException ex)
            {
                return; // the reader reports the coordinator's loss
            }
            catch (final InterruptedException ex)
            {
                return;
            }
        }
    }

    private void readLoop()
    {
        try
        {
            while (true)
            {
                final ControlFrames.Frame frame = ControlFrames.read(in, ControlFrames.MAX_FRAME);
                final ByteBuffer b = ByteBuffer.wrap(frame.payload());
                switch (frame.type())
                {
                    case ControlFrames.TABLE:
                        onTable(b);
                        break;
                    case ControlFrames.HEARTBEAT:
                        break; // the coordinator is alive; the read timeout restarts
                    case ControlFrames.DEAD:
                        final ControlMessages.DeathNotice death = ControlMessages.DeathNotice.decode(frame.payload());
                        fault.peerLost(death.rank(), death.reason());
                        break;
                    case ControlFrames.STALL_REPORT:
                        final ControlMessages.StallAnswer answer =
                            ControlMessages.StallAnswer.decode(frame.payload());
                        stallNote = new StallNote(answer.commId(), answer.seq(), answer.working(),
                            answer.notArrived(), answer.detail(), System.nanoTime());
                        break;
                    case ControlFrames.ABORT:
                        final ControlMessages.AbortNotice abort = ControlMessages.AbortNotice.decode(frame.payload());
                        fault.aborted(abort.origin(), abort.message(), abort.mismatch());
                        break;
                    default:
                        throw new IOException("unexpected control frame type " + frame.type());
                }
                synchronized (tables)
                {
                    tables.notifyAll();
                }
            }
        }
        catch (final java.net.SocketTimeoutException ex)
        {
            fault.peerLost(0, "rank 0, the job's coordinator, sent no heartbeat for " + liveness.timeoutMs() +
                " ms: its process is stopped (SIGSTOP, a debugger), hung or cut off from this rank");
            synchronized (tables)
            {
                tables.notifyAll();
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            fault.peerLost(0, "this rank's connection to rank 0, the job's coordinator (and the media driver's " +
                "owner where ranks share its host), ended: rank 0 died, was killed or became unreachable (" +
                (ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage()) + ")");
            synchronized (tables)
            {
                tables.notifyAll();
            }
        }
    }

    private void onTable(final ByteBuffer b)
    {
        final int round = b.getInt();
        final int n = b.getInt();
        final byte[][] table = new byte[n][];
        for (int r = 0; r < n; r++)
        {
            table[r] = new byte[b.getInt()];
            b.get(table[r]);
        }
        synchronized (tables)
        {
            tables.put(round, table);
        }
    }

    /** Marks that every rank has reached the job's closing round, so leaving now is the normal end. */
    public void finishedTogether()
    {
        finishedTogether = true;
    }

    /**
     * Leaves the job. After {@link #finishedTogether()} the coordinator takes it as the normal end; before, the
     * other ranks are told this one left, so none waits for it until its deadline.
     */
    @Override
    public void close()
    {
        fault.closing();
        leaving = true;
        heartbeats.interrupt();
        try
        {
            ControlFrames.write(out, ControlFrames.LEAVE, new byte[] {(byte)(finishedTogether ? 1 : 0)});
        }
        catch (final IOException ignore)
        {
            // Leaving anyway.
        }
        try
        {
            socket.close();
            reader.join(5_000);
            heartbeats.join(5_000);
        }
        catch (final IOException ignore)
        {
            // Leaving anyway.
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
