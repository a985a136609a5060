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
 * announcement gathered into one table), ABORTs and the coordinator's DEAD notices. A reader thread turns DEAD,
 * ABORT and the coordinator's own loss into the shared {@link JobFault}.
 */
public final class ControlClient implements AutoCloseable
{
    private static final int HANDSHAKE_TIMEOUT_MS = 5_000;

    private final int rank;
    private final JobFault fault;
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final Thread reader;
    private final Map<Integer, byte[][]> tables = new HashMap<>();
    private volatile StallNote stallNote;
    private volatile boolean finishedTogether;
    private volatile IntFunction<String> missingRanks;

    /** The coordinator's latest word on which ranks hold up a collective. */
    private record StallNote(int commId, long seq, String missing)
    {
    }

    private ControlClient(final int rank, final JobFault fault, final Socket socket) throws IOException
    {
        this.rank = rank;
        this.fault = fault;
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
        this.reader = new Thread(this::readLoop, "slipstream-control-" + rank);
        this.reader.setDaemon(true);
    }

    /**
     * Connects to the coordinator, retrying until {@code deadlineNs} (rank 0 may not listen yet), and proves this
     * rank knows the job secret; the coordinator must prove it too.
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
                client.handshake(new JoinAuth(config.secretKey(), config.jobId()));
                socket.setSoTimeout(0);
                client.reader.start();
                return client;
            }
            catch (final JoinRefusedException ex)
            {
                socket.close();
                throw ex;
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

    private void handshake(final JoinAuth auth) throws IOException
    {
        final ControlFrames.Frame hello = ControlFrames.read(in, ControlFrames.MAX_HANDSHAKE_FRAME);
        throwIfRefused(hello);
        final ByteBuffer h = ByteBuffer.wrap(hello.payload());
        if (hello.type() != ControlFrames.HELLO || hello.payload().length != 8 + JoinAuth.NONCE_BYTES ||
            h.getInt() != ControlFrames.PROTOCOL_MAGIC || h.getInt() != ControlFrames.PROTOCOL_VERSION)
        {
            throw new JoinRefusedException("the coordinator port does not speak Slipstream protocol v" +
                ControlFrames.PROTOCOL_VERSION + "; check the coordinator address and port");
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
        if (welcome.type() != ControlFrames.WELCOME ||
            !JoinAuth.matches(auth.welcomeProof(rank, serverNonce, clientNonce), welcome.payload()))
        {
            throw new JoinRefusedException("the coordinator could not prove it knows this job's secret; " +
                "another job may be listening on the coordinator port");
        }
    }

    private void throwIfRefused(final ControlFrames.Frame frame) throws JoinRefusedException
    {
        if (frame.type() == ControlFrames.REFUSED)
        {
            throw new JoinRefusedException("the coordinator refused rank " + rank + " (" +
                new String(frame.payload(), StandardCharsets.UTF_8) + "): check that every rank has the same " +
                "SLIPSTREAM_SECRET and job id and that rank " + rank + " is not started twice");
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
        final byte[] text = message.getBytes(StandardCharsets.UTF_8);
        try
        {
            ControlFrames.write(out, ControlFrames.ABORT,
                ByteBuffer.allocate(9 + text.length).putInt(rank).put((byte)(mismatch ? 1 : 0)).putInt(text.length)
                    .put(text).array());
        }
        catch (final IOException ignore)
        {
            // The coordinator is gone: every rank sees that as rank 0's loss instead.
        }
    }

    /**
     * Tells the coordinator this rank has waited half its deadline in collective {@code seq} of communicator
     * {@code commId} (world ranks {@code members}). Not a hot path: once per stalled collective.
     */
    public void reportStall(final int commId, final long seq, final String operation, final int[] members)
    {
        final byte[] op = operation.getBytes(StandardCharsets.US_ASCII);
        final ByteBuffer b = ByteBuffer.allocate(17 + op.length + members.length * 4).putInt(commId).putLong(seq)
            .put((byte)op.length).put(op).putInt(members.length);
        for (final int member : members)
        {
            b.putInt(member);
        }
        try
        {
            ControlFrames.write(out, ControlFrames.STALL, b.array());
        }
        catch (final IOException ignore)
        {
            // The coordinator is gone: that fault ends the collective anyway.
        }
    }

    /** The ranks the coordinator found had not reached collective {@code seq} of {@code commId}, or null. */
    public String notYetArrived(final int commId, final long seq)
    {
        final StallNote note = stallNote;
        return note != null && note.commId() == commId && note.seq() == seq ? note.missing() : null;
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
                    case ControlFrames.DEAD:
                        final int dead = b.getInt();
                        final byte[] reason = new byte[b.getInt()];
                        b.get(reason);
                        fault.peerLost(dead, new String(reason, StandardCharsets.UTF_8));
                        break;
                    case ControlFrames.STALL_REPORT:
                        final int commId = b.getInt();
                        final long seq = b.getLong();
                        final byte[] note = new byte[b.getInt()];
                        b.get(note);
                        stallNote = new StallNote(commId, seq, new String(note, StandardCharsets.UTF_8));
                        break;
                    case ControlFrames.ABORT:
                        final int origin = b.getInt();
                        final boolean mismatch = b.get() != 0;
                        final byte[] text = new byte[b.getInt()];
                        b.get(text);
                        fault.aborted(origin, new String(text, StandardCharsets.UTF_8), mismatch);
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
