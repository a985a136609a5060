package io.slipstream.comm.bootstrap;

import io.slipstream.comm.CommConfig;
import io.slipstream.comm.OneLineLog;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Rank 0's side of the control plane: accepts joins on the coordinator port ({@link JoinHandshake}), keeps the
 * {@link MemberTable}, gathers rounds of small announcements into tables, answers stall questions
 * ({@link StallInspector}), and tells every member when another one dies (its connection ends without a LEAVE,
 * it leaves before the job's closing round, or its heartbeats stop) or aborts. Each connection has its own thread;
 * connections that have not proved the secret are capped and time-limited apart from the ranks' slots
 * ({@link PendingJoins}), so outsiders can neither take a slot nor crowd a rank out. A watchdog thread sends the
 * coordinator's heartbeats and ends handshakes and members that ran out of time.
 */
public final class Coordinator implements AutoCloseable
{
    private static final OneLineLog LOG = OneLineLog.of(Coordinator.class);
    private static final long HANDSHAKE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);
    private static final int MAX_PENDING_HANDSHAKES = 64;
    private static final int MAX_LOGGED = 1024;

    private final JoinAuth auth;
    private final ServerSocket server;
    private final Thread acceptor;
    private final Thread watchdog;
    private final MemberTable table;
    private final StallInspector stalls;
    private final Liveness liveness;
    private final PendingJoins<Socket> pending = new PendingJoins<>(MAX_PENDING_HANDSHAKES, HANDSHAKE_TIMEOUT_NS);
    private final Set<String> refusedAddresses = new HashSet<>();
    private final Set<String> loggedStalls = new HashSet<>();
    private volatile boolean closed;

    private Coordinator(final CommConfig config, final ServerSocket server)
    {
        this.auth = new JoinAuth(config.secretKey(), config.jobId());
        this.server = server;
        this.table = new MemberTable(config.size());
        this.liveness = Liveness.forDeadline(config.deadline());
        this.stalls = new StallInspector(table, TimeUnit.MILLISECONDS.toNanos(liveness.timeoutMs()));
        this.acceptor = new Thread(this::acceptLoop, "slipstream-coordinator-accept");
        this.acceptor.setDaemon(true);
        this.watchdog = new Thread(this::watchLoop, "slipstream-coordinator-watchdog");
        this.watchdog.setDaemon(true);
    }

    /**
     * Binds the coordinator port and starts accepting joins: on the loopback interface when the ranks reach rank 0
     * at a loopback address (the whole job is on this host, so nothing elsewhere needs the port), else on every
     * interface.
     */
    public static Coordinator start(final CommConfig config) throws IOException
    {
        final ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        final InetAddress bind = bindAddress(config.coordinatorHost());
        try
        {
            server.bind(new InetSocketAddress(bind, config.coordinatorPort()), 128);
        }
        catch (final IOException ex)
        {
            server.close();
            final BindException taken = new BindException("rank 0 cannot listen on coordinator port " +
                config.coordinatorPort() + ": " + ex.getMessage() + "; choose a free port (another job may use it)");
            taken.initCause(ex);
            throw taken;
        }
        final Coordinator coordinator = new Coordinator(config, server);
        coordinator.acceptor.start();
        coordinator.watchdog.start();
        return coordinator;
    }

    /** The loopback address {@code coordinatorHost} names, or null (every interface) for any other host. */
    static InetAddress bindAddress(final String coordinatorHost)
    {
        if (coordinatorHost == null)
        {
            return null;
        }
        final String host = coordinatorHost.trim();
        if (host.startsWith("127.") || "::1".equals(host) || "localhost".equalsIgnoreCase(host))
        {
            try
            {
                return "localhost".equalsIgnoreCase(host) ? InetAddress.getLoopbackAddress() :
                    InetAddress.getByName(host); // a literal: no lookup
            }
            catch (final UnknownHostException ex)
            {
                return InetAddress.getLoopbackAddress();
            }
        }
        return null;
    }

    /** The address the coordinator listens on. */
    public InetAddress boundAddress()
    {
        return server.getInetAddress();
    }

    private void acceptLoop()
    {
        while (!closed)
        {
            final Socket socket;
            try
            {
                socket = server.accept();
            }
            catch (final IOException ex)
            {
                if (!closed)
                {
                    LOG.log(Level.WARNING, "coordinator accept failed: " + ex.getMessage());
                }
                continue;
            }
            final Socket displaced = pending.admit(socket, System.nanoTime());
            if (displaced != null)
            {
                refuse(displaced, true, "too many joins in progress; the oldest unproven one is dropped");
            }
            final Thread thread = new Thread(() -> serve(socket), "slipstream-coordinator-peer");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void serve(final Socket socket)
    {
        int rank = -1;
        try
        {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int)TimeUnit.NANOSECONDS.toMillis(HANDSHAKE_TIMEOUT_NS));
            final DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            final DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            final JoinHandshake handshake = new JoinHandshake(auth, table.size());
            final int claimed = handshake.admit(in, out);
            final MemberTable.Member member = new MemberTable.Member(socket, out, System.nanoTime());
            if (!pending.done(socket))
            {
                return; // displaced or timed out meanwhile; it was told so
            }
            if (!table.join(claimed, member, () -> handshake.welcome(out, liveness)))
            {
                refuse(socket, false, "rank " + claimed + " has already joined");
                return;
            }
            rank = claimed;
            // Members heartbeat; one silent past the limit is ended by the watchdog, not by a read timeout.
            socket.setSoTimeout(0);
            readLoop(rank, in);
        }
        catch (final JoinHandshake.Refused ex)
        {
            pending.done(socket);
            refuse(socket, false, ex.getMessage());
        }
        catch (final IOException | RuntimeException ex)
        {
            if (rank < 0)
            {
                if (pending.done(socket))
                {
                    refuse(socket, false, "handshake failed: " + ex.getMessage());
                }
                return;
            }
            memberGone(rank, ex instanceof EOFException ? "its connection to rank 0 closed" :
                "its connection to rank 0 failed: " + ex);
            closeQuietly(socket);
        }
    }

    private void readLoop(final int rank, final DataInputStream in) throws IOException
    {
        while (true)
        {
            final ControlFrames.Frame frame = ControlFrames.read(in, ControlFrames.MAX_FRAME);
            switch (frame.type())
            {
                case ControlFrames.HEARTBEAT:
                    table.heard(rank, ControlMessages.Heartbeat.decode(frame.payload()), System.nanoTime());
                    break;
                case ControlFrames.ROUND:
                    onRound(rank, frame.payload());
                    break;
                case ControlFrames.ABORT:
                    ControlMessages.AbortNotice.decode(frame.payload());
                    sendToAll(ControlFrames.ABORT, frame.payload(), rank);
                    break;
                case ControlFrames.STALL:
                    onStall(rank, ControlMessages.StallQuery.decode(frame.payload(), table.size()));
                    break;
                case ControlFrames.LEAVE:
                    if (frame.payload().length == 1 && frame.payload()[0] == 1)
                    {
                        table.left(rank);
                    }
                    else
                    {
                        memberGone(rank, "it left the job before the other ranks had finished");
                    }
                    return;
                default:
                    throw new IOException("unexpected control frame type " + frame.type() + " from rank " + rank);
            }
        }
    }

    private void onRound(final int rank, final byte[] payload) throws IOException
    {
        if (payload.length < 4)
        {
            throw new IOException("round frame of " + payload.length + " bytes from rank " + rank);
        }
        final ByteBuffer b = ByteBuffer.wrap(payload);
        final int round = b.getInt();
        final byte[] data = new byte[b.remaining()];
        b.get(data);
        final byte[] full = table.onRound(rank, round, data);
        if (full != null)
        {
            sendToAll(ControlFrames.TABLE, full, -1);
        }
    }

    private void onStall(final int rank, final ControlMessages.StallQuery query)
    {
        final ControlMessages.StallAnswer answer = stalls.answer(rank, query, System.nanoTime());
        if (!answer.notArrived().isEmpty())
        {
            final String text = query.operation() + " #" + query.seq() + " on communicator " +
                Integer.toHexString(query.commId()) + (answer.working() ? " waits for work to finish (not a " +
                "failure): " : " is held up: ") + answer.detail();
            final boolean first;
            synchronized (loggedStalls)
            {
                first = loggedStalls.size() < MAX_LOGGED && loggedStalls.add(text);
            }
            if (first)
            {
                LOG.log(answer.working() ? Level.INFO : Level.WARNING, "stall: " + text);
            }
        }
        final MemberTable.Member asker = table.present()[rank];
        if (asker != null)
        {
            try
            {
                ControlFrames.write(asker.out, ControlFrames.STALL_REPORT, answer.encode());
            }
            catch (final IOException ignore)
            {
                // Its reader thread reports the loss.
            }
        }
    }

    private void watchLoop()
    {
        final long timeoutNs = TimeUnit.MILLISECONDS.toNanos(liveness.timeoutMs());
        while (!closed)
        {
            try
            {
                Thread.sleep(liveness.periodMs());
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            final long now = System.nanoTime();
            for (final Socket late : pending.expired(now))
            {
                refuse(late, true, "its join took longer than " + TimeUnit.NANOSECONDS.toMillis(HANDSHAKE_TIMEOUT_NS) +
                    " ms");
            }
            for (int r = 0; r < table.size(); r++)
            {
                final long silent = table.silentNanos(r, now);
                if (silent > timeoutNs)
                {
                    final MemberTable.Member member = table.present()[r];
                    memberGone(r, "it sent no heartbeat for " + silent / 1_000_000 + " ms: its process is stopped " +
                        "(SIGSTOP, a debugger), hung or cut off from rank 0");
                    if (member != null)
                    {
                        closeQuietly(member.connection);
                    }
                }
            }
            sendToAll(ControlFrames.HEARTBEAT, new byte[0], -1);
        }
    }

    private void memberGone(final int rank, final String why)
    {
        if (table.gone(rank) && !closed)
        {
            if (rank != 0)
            {
                // Rank 0's own connection ends only when rank 0 itself fails or leaves; its own error says why.
                LOG.log(Level.WARNING, "rank " + rank + " lost: " + why);
            }
            sendToAll(ControlFrames.DEAD, new ControlMessages.DeathNotice(rank, why).encode(), rank);
        }
    }

    /** Which ranks hold up bootstrap round {@code round}; see {@link MemberTable#missingFrom}. */
    public String missingFrom(final int round)
    {
        return table.missingFrom(round);
    }

    private void sendToAll(final byte type, final byte[] payload, final int except)
    {
        final MemberTable.Member[] present = table.present();
        for (int r = 0; r < present.length; r++)
        {
            if (present[r] != null && r != except)
            {
                try
                {
                    ControlFrames.write(present[r].out, type, payload);
                }
                catch (final IOException ignore)
                {
                    // That member's own reader thread reports its loss.
                }
            }
        }
    }

    private void refuse(final Socket socket, final boolean retry, final String why)
    {
        final String address = String.valueOf(socket.getInetAddress());
        final boolean first;
        synchronized (refusedAddresses)
        {
            first = refusedAddresses.size() < MAX_LOGGED && refusedAddresses.add(address);
        }
        if (first)
        {
            LOG.log(Level.WARNING, "refused a join from " + address + ": " + why +
                " (further refusals from this address are counted, not logged)");
        }
        try
        {
            // Said before closing, so a rank can tell a refusal from a coordinator that died mid-handshake. A short
            // write timeout: a peer that reads nothing must not hold this thread.
            socket.setSoTimeout(1_000);
            ControlFrames.write(new DataOutputStream(socket.getOutputStream()), ControlFrames.REFUSED,
                new ControlMessages.Refusal(retry, why).encode());
        }
        catch (final IOException ignore)
        {
            // The peer is gone already; closing is all that is left.
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(final java.io.Closeable connection)
    {
        try
        {
            connection.close();
        }
        catch (final IOException ignore)
        {
            // Closing anyway.
        }
    }

    /** Stops accepting and closes every member connection; members still in the job see EOF. */
    @Override
    public void close()
    {
        closed = true;
        closeQuietly(server);
        for (final MemberTable.Member member : table.all())
        {
            if (member != null)
            {
                closeQuietly(member.connection);
            }
        }
        watchdog.interrupt();
        try
        {
            acceptor.join(5_000);
            watchdog.join(5_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits up to {@code timeoutMs} for every joined member to leave, so closing does not look like a death. */
    public void awaitMembersLeft(final long timeoutMs) throws InterruptedException
    {
        final long end = System.nanoTime() + timeoutMs * 1_000_000L;
        while (System.nanoTime() < end && !table.allLeft())
        {
            Thread.sleep(5);
        }
    }
}
