package io.slipstream.comm.transport;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.BufferClaim;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.slipstream.comm.CommConfig;
import io.slipstream.comm.bootstrap.JobFault;
import org.agrona.CloseHelper;
import org.agrona.concurrent.IdleStrategy;


/**
 * A rank's Aeron links: one inbox subscription per medium (IPC, UDP) and one exclusive publication per peer.
 * Only the image whose session id the peer announced at bootstrap (and, over UDP, whose source is the peer's
 * announced address) is ever read; other images are counted and left unread.
 */
public final class DataPlane implements DataLinks, AutoCloseable
{
    /** IPC frames may be as large as Aeron allows: larger chunks mean fewer headers and handler calls. */
    public static final int IPC_MTU = CommConfig.MAX_MTU;

    private final int rank;
    private final int size;
    private final int streamBase;
    private final JobFault fault;
    private final CommConfig config;
    private final Aeron aeron;
    private final boolean[] ipcLink;
    private final Subscription ipcInbox;
    private final Subscription udpInbox;
    private final ExclusivePublication[] publications;
    private final Image[] images;
    private final int[] expectedSessions;
    private final CommCounters counters;
    private volatile boolean closing;

    /**
     * Connects to the host's driver at {@code aeronDir} and opens the inboxes this rank needs;
     * {@code ipcLink[p]} says whether peer p is reached over IPC.
     */
    public DataPlane(final CommConfig config, final JobFault fault, final String aeronDir, final boolean[] ipcLink)
    {
        this.rank = config.rank();
        this.size = config.size();
        this.config = config;
        this.fault = fault;
        this.ipcLink = ipcLink.clone();
        this.streamBase = (config.jobHash() & 0xFFFF) << 15;
        this.publications = new ExclusivePublication[size];
        this.images = new Image[size];
        this.expectedSessions = new int[size];
        this.aeron = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(aeronDir)
            .clientName("slipstream-rank-" + rank)
            // Fault the logs' pages in when they are mapped, not on the first pass of traffic through them: measured
            // between two processes, first-touch faults made 2-128 KiB allreduces 5-10x slower until the logs had
            // been cycled once.
            .preTouchMappedMemory(true)
            .driverTimeoutMs(Math.max(10_000, Math.min(config.deadline().toMillis(), 60_000)))
            .errorHandler(this::onAeronError)
            .unavailableImageHandler(this::onImageGone));
        boolean anyIpc = false;
        boolean anyUdp = false;
        for (int p = 0; p < size; p++)
        {
            if (p != rank)
            {
                anyIpc |= ipcLink[p];
                anyUdp |= !ipcLink[p];
            }
        }
        Subscription ipc = null;
        Subscription udp = null;
        CommCounters allocated = null;
        try
        {
            allocated = CommCounters.inDirectory(new java.io.File(aeronDir), rank);
            if (anyIpc)
            {
                ipc = aeron.addSubscription("aeron:ipc", streamId(rank), null, this::onImageGone);
            }
            if (anyUdp)
            {
                udp = aeron.addSubscription("aeron:udp?endpoint=" + config.advertiseAddress() + ":0",
                    streamId(rank), null, this::onImageGone);
            }
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(ipc, udp, allocated, aeron);
            throw ex;
        }
        this.counters = allocated;
        this.ipcInbox = ipc;
        this.udpInbox = udp;
    }

    /** Stream ids carry the job hash so jobs sharing an external driver never read each other's inboxes. */
    public int streamId(final int r)
    {
        return streamBase | r;
    }

    /** This rank's UDP inbox as host:port once the driver has bound it, "" without a UDP inbox, null while unbound. */
    public String udpEndpoint()
    {
        if (udpInbox == null)
        {
            return "";
        }
        final String resolved = udpInbox.resolvedEndpoint();
        return resolved == null || resolved.endsWith(":0") ? null : resolved;
    }

    /** Opens a publication to every peer: IPC to its stream, UDP to its announced endpoint. */
    public void openPublications(final String[] udpEndpoints, final int termLength, final int mtu)
    {
        for (int p = 0; p < size; p++)
        {
            if (p == rank)
            {
                continue;
            }
            final String channel = ipcLink[p] ?
                "aeron:ipc?term-length=" + termLength + "|mtu=" + IPC_MTU :
                "aeron:udp?endpoint=" + udpEndpoints[p] + "|term-length=" + termLength + "|mtu=" + mtu;
            publications[p] = aeron.addExclusivePublication(channel, streamId(p));
        }
    }

    /** The session id of this rank's publication to {@code peer}, or 0 for itself. */
    public int sessionIdTo(final int peer)
    {
        return peer == rank ? 0 : publications[peer].sessionId();
    }

    /**
     * Checks, without blocking, whether every publication is connected and every peer's announced image is
     * available (from the announced address over UDP); call until true or the deadline.
     */
    public boolean tryResolvePeers(final int[] sessionFromPeer, final String[] peerAddress)
    {
        boolean all = true;
        for (int p = 0; p < size; p++)
        {
            if (p == rank)
            {
                continue;
            }
            expectedSessions[p] = sessionFromPeer[p];
            all &= publications[p].isConnected();
            if (images[p] == null)
            {
                final Subscription inbox = ipcLink[p] ? ipcInbox : udpInbox;
                final Image image = inbox.imageBySessionId(sessionFromPeer[p]);
                if (image != null && (ipcLink[p] || sourceMatches(sourceHost(image.sourceIdentity()), peerAddress[p])))
                {
                    images[p] = image;
                }
            }
            all &= images[p] != null;
        }
        return all;
    }

    /** Names the peers {@link #tryResolvePeers} still waits for, and what is missing. */
    public String unresolvedPeers()
    {
        final StringBuilder sb = new StringBuilder();
        for (int p = 0; p < size; p++)
        {
            if (p != rank && (images[p] == null || !publications[p].isConnected()))
            {
                sb.append(sb.length() == 0 ? "" : ", ").append(p).append(" (");
                sb.append(publications[p].isConnected() ? "" : "not receiving from us; ");
                if (images[p] == null)
                {
                    final Subscription inbox = ipcLink[p] ? ipcInbox : udpInbox;
                    final Image image = inbox.imageBySessionId(expectedSessions[p]);
                    sb.append(image == null ? "no stream from it" :
                        "its stream comes from " + image.sourceIdentity() + ", not its announced address");
                }
                sb.append(')');
            }
        }
        return sb.toString();
    }

    /** The largest payload of one data frame both IPC and UDP links of this world can carry without fragmenting. */
    public static int chunkBytes(final boolean anyIpcInWorld, final boolean anyUdpInWorld, final int udpMtu)
    {
        int mtu = Integer.MAX_VALUE;
        if (anyIpcInWorld)
        {
            mtu = IPC_MTU;
        }
        if (anyUdpInWorld)
        {
            mtu = Math.min(mtu, udpMtu);
        }
        if (mtu == Integer.MAX_VALUE)
        {
            mtu = IPC_MTU;
        }
        // Aeron's data header is 32 bytes; ours 40; keep the payload a multiple of 8 for every element type.
        return (mtu - 32 - FrameHeader.LENGTH) & ~7;
    }

    /**
     * Claims {@code length} bytes on the publication to {@code peer}; false when back-pressured (try again later).
     * A peer that is gone becomes the job's fault.
     */
    @Override
    public boolean tryClaim(final int peer, final int length, final BufferClaim claim)
    {
        final long result = publications[peer].tryClaim(length, claim);
        if (result > 0)
        {
            return true;
        }
        if (result == Publication.NOT_CONNECTED || result == Publication.CLOSED)
        {
            fault.peerLost(peer, "its data stream from rank " + rank + " is no longer connected");
        }
        else if (result == Publication.MAX_POSITION_EXCEEDED)
        {
            fault.failed("the stream to rank " + peer + " reached its maximum position; restart the job");
        }
        return false;
    }

    /** Polls the image of {@code peer}; checks it is still there. */
    @Override
    public int poll(final int peer, final ControlledFragmentHandler handler, final int limit)
    {
        final Image image = images[peer];
        if (image.isClosed())
        {
            fault.peerLost(peer, "its data stream to rank " + rank + " closed");
            return 0;
        }
        return image.controlledPoll(handler, limit);
    }

    public int rank()
    {
        return rank;
    }

    public int size()
    {
        return size;
    }

    public CommConfig config()
    {
        return config;
    }

    public JobFault fault()
    {
        return fault;
    }

    /** This rank's data-plane counters, in a file in the Aeron directory while the job runs. */
    public CommCounters counters()
    {
        return counters;
    }

    /** Images on this rank's inboxes that no peer of this job announced; they are never read. */
    public int foreignImages()
    {
        return foreign(ipcInbox) + foreign(udpInbox);
    }

    private int foreign(final Subscription inbox)
    {
        int count = 0;
        if (inbox != null)
        {
            for (final Image image : inbox.images())
            {
                boolean known = false;
                for (int p = 0; p < size; p++)
                {
                    known |= p != rank && images[p] == image;
                }
                count += known ? 0 : 1;
            }
        }
        return count;
    }

    /** True once the world that owns these links has closed them. */
    public boolean isClosed()
    {
        return closing;
    }

    @Override
    public void close()
    {
        closing = true;
        for (final ExclusivePublication publication : publications)
        {
            CloseHelper.quietClose(publication);
        }
        CloseHelper.quietCloseAll(ipcInbox, udpInbox, counters, aeron);
    }

    /** Waits until {@code deadlineNs}, idling, for the UDP endpoint to resolve. */
    public String awaitUdpEndpoint(final long deadlineNs, final IdleStrategy idle)
    {
        idle.reset();
        String endpoint;
        while ((endpoint = udpEndpoint()) == null)
        {
            if (System.nanoTime() > deadlineNs)
            {
                throw new IllegalStateException("rank " + rank + ": the driver did not bind a UDP port on " +
                    config.advertiseAddress() + " before the deadline; check advertiseAddress is this host's IP");
            }
            idle.idle();
        }
        return endpoint;
    }

    private void onImageGone(final Image image)
    {
        if (closing || fault.isClosing())
        {
            return;
        }
        for (int p = 0; p < size; p++)
        {
            if (images[p] == image)
            {
                fault.peerLost(p, "its data stream to rank " + rank + " went away: it closed its communicator or " +
                    "died");
            }
        }
    }

    private void onAeronError(final Throwable error)
    {
        if (!closing)
        {
            fault.failed("the Aeron client failed: " + error + "; check the media driver (it may have died)");
        }
    }

    /**
     * A UDP image must come from its peer's announced address; on loopback the kernel sends from 127.0.0.1 whatever
     * 127.0.0.x the peer announced, and any loopback source is a process on this machine, so those match each other.
     */
    private static boolean sourceMatches(final String source, final String announced)
    {
        return source.equals(announced) || source.startsWith("127.") && announced.startsWith("127.");
    }

    private static String sourceHost(final String sourceIdentity)
    {
        final int colon = sourceIdentity.lastIndexOf(':');
        final String host = colon < 0 ? sourceIdentity : sourceIdentity.substring(0, colon);
        return host.startsWith("/") ? host.substring(1) : host;
    }
}
