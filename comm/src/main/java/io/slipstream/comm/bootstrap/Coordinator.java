package io.slipstream.comm.bootstrap;

import io.slipstream.comm.CommConfig;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Rank 0's side of the control plane. Accepts joins on the coordinator port, checks each with {@link JoinAuth},
 * gathers rounds of small announcements into tables, and tells every member when another one dies (its TCP
 * connection ends without a LEAVE, or it leaves before the job's closing round) or aborts. Each connection has
 * its own thread, so a client that stalls or
 * sends garbage costs only that thread, bounded by the handshake timeout and frame limits.
 */
public final class Coordinator implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(Coordinator.class.getName());
    private static final int HANDSHAKE_TIMEOUT_MS = 5_000;
    private static final int MAX_PENDING_HANDSHAKES = 64;

    private final int size;
    private final JoinAuth auth;
    private final ServerSocket server;
    private final Thread acceptor;
    private final Member[] members;
    private final Map<Integer, byte[][]> rounds = new HashMap<>();
    private final Map<Integer, Integer> roundCounts = new HashMap<>();
    private final Set<String> refusedAddresses = new HashSet<>();
    private final Map<Integer, long[]> stalledAt = new HashMap<>();
    private final Set<String> loggedStalls = new HashSet<>();
    private final AtomicInteger pendingHandshakes = new AtomicInteger();
    private final AtomicInteger refusals = new AtomicInteger();
    private volatile boolean closed;

    private Coordinator(final CommConfig config, final ServerSocket server)
    {
        this.size = config.size();
        this.auth = new JoinAuth(config.secretKey(), config.jobId());
        this.server = server;
        this.members = new Member[size];
        this.acceptor = new Thread(this::acceptLoop, "slipstream-coordinator-accept");
        this.acceptor.setDaemon(true);
    }

    /** Binds the coordinator port on every interface and starts accepting joins. */
    public static Coordinator start(final CommConfig config) throws IOException
    {
        final ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        try
        {
            server.bind(new InetSocketAddress(config.coordinatorPort()), 128);
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
        return coordinator;
    }

    /** Joins refused so far (bad proof, bad frames, duplicate rank). */
    public int refusals()
    {
        return refusals.get();
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
            if (pendingHandshakes.incrementAndGet() > MAX_PENDING_HANDSHAKES)
            {
                pendingHandshakes.decrementAndGet();
                refuse(socket, "too many joins in progress");
                continue;
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
            socket.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
            final DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            final DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            rank = handshake(socket, in, out);
            pendingHandshakes.decrementAndGet();
            if (rank < 0)
            {
                return;
            }
            socket.setSoTimeout(0);
            readLoop(rank, in);
        }
        catch (final IOException | RuntimeException ex)
        {
            if (rank < 0)
            {
                pendingHandshakes.decrementAndGet();
                refuse(socket, "handshake failed: " + ex.getMessage());
                return;
            }
            memberGone(rank, ex instanceof EOFException ? "its connection to rank 0 closed" :
                "its connection to rank 0 failed: " + ex);
            try
            {
                socket.close();
            }
            catch (final IOException ignore)
            {
                // Already gone.
            }
        }
    }

    private int handshake(final Socket socket, final DataInputStream in, final DataOutputStream out)
        throws IOException
    {
        final byte[] serverNonce = JoinAuth.newNonce();
        ControlFrames.write(out, ControlFrames.HELLO, ByteBuffer.allocate(8 + JoinAuth.NONCE_BYTES)
            .putInt(ControlFrames.PROTOCOL_MAGIC).putInt(ControlFrames.PROTOCOL_VERSION).put(serverNonce).array());
        final ControlFrames.Frame join = ControlFrames.read(in, ControlFrames.MAX_HANDSHAKE_FRAME);
        if (join.type() != ControlFrames.JOIN || join.payload().length != 12 + JoinAuth.NONCE_BYTES +
            JoinAuth.MAC_BYTES)
        {
            refuse(socket, "not a join frame");
            return -1;
        }
        final ByteBuffer b = ByteBuffer.wrap(join.payload());
        final int magic = b.getInt();
        final int version = b.getInt();
        final int rank = b.getInt();
        final byte[] clientNonce = new byte[JoinAuth.NONCE_BYTES];
        b.get(clientNonce);
        final byte[] proof = new byte[JoinAuth.MAC_BYTES];
        b.get(proof);
        if (magic != ControlFrames.PROTOCOL_MAGIC || version != ControlFrames.PROTOCOL_VERSION)
        {
            refuse(socket, "protocol " + Integer.toHexString(magic) + " v" + version + " is not this version");
            return -1;
        }
        if (rank < 0 || rank >= size || !JoinAuth.matches(auth.joinProof(rank, serverNonce, clientNonce), proof))
        {
            refuse(socket, "its proof does not match this job's secret and id (wrong SLIPSTREAM_SECRET or job id)");
            return -1;
        }
        final Member member = new Member(socket, out);
        synchronized (this)
        {
            if (members[rank] != null)
            {
                refuse(socket, "rank " + rank + " has already joined");
                return -1;
            }
            ControlFrames.write(out, ControlFrames.WELCOME, auth.welcomeProof(rank, serverNonce, clientNonce));
            members[rank] = member;
        }
        return rank;
    }

    private void readLoop(final int rank, final DataInputStream in) throws IOException
    {
        while (true)
        {
            final ControlFrames.Frame frame = ControlFrames.read(in, ControlFrames.MAX_FRAME);
            switch (frame.type())
            {
                case ControlFrames.ROUND:
                    onRound(rank, frame.payload());
                    break;
                case ControlFrames.ABORT:
                    sendToAll(ControlFrames.ABORT, frame.payload(), rank);
                    break;
                case ControlFrames.STALL:
                    onStall(rank, frame.payload());
                    break;
                case ControlFrames.LEAVE:
                    if (frame.payload().length == 1 && frame.payload()[0] == 1)
                    {
                        synchronized (this)
                        {
                            members[rank].left = true;
                        }
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
        final ByteBuffer b = ByteBuffer.wrap(payload);
        final int round = b.getInt();
        final byte[] data = new byte[b.remaining()];
        b.get(data);
        final byte[] table;
        synchronized (this)
        {
            final byte[][] entries = rounds.computeIfAbsent(round, (k) -> new byte[size][]);
            if (entries[rank] != null)
            {
                throw new IOException("rank " + rank + " sent round " + round + " twice");
            }
            entries[rank] = data;
            final int count = roundCounts.merge(round, 1, Integer::sum);
            if (count < size)
            {
                return;
            }
            rounds.remove(round);
            roundCounts.remove(round);
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            final DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(round);
            out.writeInt(size);
            for (final byte[] entry : entries)
            {
                out.writeInt(entry.length);
                out.write(entry);
            }
            table = bytes.toByteArray();
        }
        sendToAll(ControlFrames.TABLE, table, -1);
    }

    /**
     * The stall inspector: a rank that has waited half its deadline in collective #seq of a communicator says so;
     * the members not yet seen waiting at or past #seq are the ones holding it up. Every rank is told, so a
     * deadline error can name them, and the coordinator logs it once.
     */
    private void onStall(final int rank, final byte[] payload) throws IOException
    {
        final ByteBuffer b = ByteBuffer.wrap(payload);
        final int commId = b.getInt();
        final long seq = b.getLong();
        final byte[] opName = new byte[Math.min(b.get() & 0xFF, b.remaining())];
        b.get(opName);
        final String op = new String(opName, StandardCharsets.US_ASCII);
        final int count = b.getInt();
        if (count < 1 || count > size || b.remaining() != count * 4)
        {
            throw new IOException("malformed stall report from rank " + rank);
        }
        // One stall report at a time, computed and sent together, so the last note every rank gets is the newest.
        synchronized (stalledAt)
        {
            final long[] last = stalledAt.computeIfAbsent(commId, (k) ->
            {
                final long[] fresh = new long[size];
                Arrays.fill(fresh, -1);
                return fresh;
            });
            last[rank] = Math.max(last[rank], seq);
            final StringBuilder missing = new StringBuilder();
            final StringBuilder waiting = new StringBuilder();
            for (int i = 0; i < count; i++)
            {
                final int member = b.getInt();
                if (member < 0 || member >= size)
                {
                    throw new IOException("stall report from rank " + rank + " names rank " + member);
                }
                final StringBuilder list = last[member] < seq ? missing : waiting;
                list.append(list.length() == 0 ? "" : ", ").append(member);
            }
            if (missing.length() == 0)
            {
                return;
            }
            final String text = op + " #" + seq + " on communicator " + Integer.toHexString(commId) + ": rank(s) " +
                waiting + " wait; rank(s) " + missing + " have not reached it";
            if (loggedStalls.size() < 1024 && loggedStalls.add(text))
            {
                LOG.log(Level.WARNING, "stall: " + text);
            }
            final byte[] note = missing.toString().getBytes(StandardCharsets.UTF_8);
            sendToAll(ControlFrames.STALL_REPORT, ByteBuffer.allocate(16 + note.length).putInt(commId).putLong(seq)
                .putInt(note.length).put(note).array(), -1);
        }
    }

    private void memberGone(final int rank, final String why)
    {
        final boolean left;
        synchronized (this)
        {
            left = members[rank].left;
            members[rank].left = true;
        }
        if (!left && !closed)
        {
            if (rank != 0)
            {
                // Rank 0's own connection ends only when rank 0 itself fails or leaves; its own error says why.
                LOG.log(Level.WARNING, "rank " + rank + " lost: " + why);
            }
            final byte[] reason = why.getBytes(StandardCharsets.UTF_8);
            final byte[] payload = ByteBuffer.allocate(8 + reason.length).putInt(rank).putInt(reason.length)
                .put(reason).array();
            sendToAll(ControlFrames.DEAD, payload, rank);
        }
    }

    /**
     * Which ranks hold up round {@code round}: those that have not joined, those whose connection closed, and
     * those joined but not yet at it; for the error of a bootstrap round that missed its deadline.
     */
    public synchronized String missingFrom(final int round)
    {
        final byte[][] entries = rounds.get(round);
        final StringBuilder notJoined = new StringBuilder();
        final StringBuilder gone = new StringBuilder();
        final StringBuilder behind = new StringBuilder();
        for (int r = 0; r < size; r++)
        {
            final StringBuilder list = members[r] == null ? notJoined : members[r].left ? gone :
                entries == null || entries[r] == null ? behind : null;
            if (list != null)
            {
                list.append(list.length() == 0 ? "" : ", ").append(r);
            }
        }
        final StringBuilder text = new StringBuilder();
        if (notJoined.length() > 0)
        {
            text.append("rank(s) ").append(notJoined).append(" have not joined (check that they started, have " +
                "this job's secret and id, and can reach rank 0's coordinator port; their logs say why)");
        }
        if (gone.length() > 0)
        {
            text.append(text.length() == 0 ? "" : "; ").append("rank(s) ").append(gone)
                .append(" joined but their connection closed (check their logs)");
        }
        if (behind.length() > 0)
        {
            text.append(text.length() == 0 ? "" : "; ").append("rank(s) ").append(behind)
                .append(" joined but have not reached this step");
        }
        return text.toString();
    }

    private void sendToAll(final byte type, final byte[] payload, final int except)
    {
        final Member[] snapshot;
        synchronized (this)
        {
            snapshot = members.clone();
        }
        for (int r = 0; r < snapshot.length; r++)
        {
            final Member member = snapshot[r];
            if (member != null && r != except && !member.left)
            {
                try
                {
                    ControlFrames.write(member.out, type, payload);
                }
                catch (final IOException ignore)
                {
                    // That member's own reader thread reports its loss.
                }
            }
        }
    }

    private void refuse(final Socket socket, final String why)
    {
        refusals.incrementAndGet();
        final String address = String.valueOf(socket.getInetAddress());
        final boolean first;
        synchronized (refusedAddresses)
        {
            first = refusedAddresses.size() < 1024 && refusedAddresses.add(address);
        }
        if (first)
        {
            LOG.log(Level.WARNING, "refused a join from " + address + ": " + why +
                " (further refusals from this address are counted, not logged)");
        }
        try
        {
            // Said before closing, so a rank can tell a refusal from a coordinator that died mid-handshake.
            final byte[] reason = why.getBytes(StandardCharsets.UTF_8);
            ControlFrames.write(new DataOutputStream(socket.getOutputStream()), ControlFrames.REFUSED,
                Arrays.copyOf(reason, Math.min(reason.length, ControlFrames.MAX_HANDSHAKE_FRAME - 1)));
        }
        catch (final IOException ignore)
        {
            // The peer is gone already; closing is all that is left.
        }
        try
        {
            socket.close();
        }
        catch (final IOException ignore)
        {
            // Already refused; nothing more to do with this socket.
        }
    }

    /** Stops accepting and closes every member connection; members still in the job see EOF. */
    @Override
    public void close()
    {
        closed = true;
        try
        {
            server.close();
        }
        catch (final IOException ignore)
        {
            // Closing anyway.
        }
        final Member[] snapshot;
        synchronized (this)
        {
            snapshot = members.clone();
        }
        for (final Member member : snapshot)
        {
            if (member != null)
            {
                try
                {
                    member.socket.close();
                }
                catch (final IOException ignore)
                {
                    // Closing anyway.
                }
            }
        }
        try
        {
            acceptor.join(5_000);
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
        while (System.nanoTime() < end)
        {
            boolean all = true;
            synchronized (this)
            {
                for (final Member member : members)
                {
                    all &= member == null || member.left;
                }
            }
            if (all)
            {
                return;
            }
            Thread.sleep(5);
        }
    }

    private static final class Member
    {
        final Socket socket;
        final DataOutputStream out;
        boolean left;

        Member(final Socket socket, final DataOutputStream out)
        {
            this.socket = socket;
            this.out = out;
        }
    }
}
