package io.slipstream.comm.transport;

import io.slipstream.comm.OneLineLog;
import io.slipstream.comm.CommConfig;
import io.slipstream.comm.CommException;
import io.slipstream.comm.TransportKind;
import io.slipstream.comm.bootstrap.ControlClient;
import io.slipstream.comm.bootstrap.Coordinator;
import io.slipstream.comm.bootstrap.JobFault;
import org.agrona.CloseHelper;
import org.agrona.concurrent.IdleStrategy;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Objects;

/**
 * Joins a job and owns what the world communicator stands on: the coordinator (rank 0), the control connection,
 * this host's embedded driver (lowest rank of the host id) and the data plane. Bootstrap is a few rounds through
 * the coordinator: identities and settings; drivers up; inbox endpoints; publication session ids; ready.
 */
public final class AeronWorld implements AutoCloseable
{
    private static final OneLineLog LOG = OneLineLog.of(AeronWorld.class);
    private static final int ROUND_IDENTITY = 1;
    private static final int ROUND_DRIVERS = 2;
    private static final int ROUND_ENDPOINTS = 3;
    private static final int ROUND_SESSIONS = 4;
    private static final int ROUND_READY = 5;
    private static final int ROUND_CLOSE = 6;
    private static final int ROUND_DETACHED = 7;
    private static final long CLOSE_TIMEOUT_NS = 10_000_000_000L;

    private final CommConfig config;
    private final JobFault fault = new JobFault();
    private Coordinator coordinator;
    private ControlClient control;
    private DriverHost driver;
    private DataPlane plane;
    private boolean closed;

    private AeronWorld(final CommConfig config)
    {
        this.config = config;
    }

    /** Joins the job described by {@code config}; blocks until every rank has joined or the deadline passes. */
    public static AeronCommunicator connect(final CommConfig config)
    {
        Objects.requireNonNull(config, "config");
        final AeronWorld world = new AeronWorld(config);
        world.fault.interruptOnFault(Thread.currentThread());
        try
        {
            final AeronCommunicator communicator = world.join();
            world.stopInterrupts();
            return communicator;
        }
        catch (final RuntimeException | IOException | InterruptedException ex)
        {
            final boolean woken = world.stopInterrupts();
            final boolean faulted = world.fault.isSet();
            world.abandon(ex);
            if (faulted)
            {
                // A peer's loss or abort is the cause; what failed here (Aeron timing out on a driver that died
                // with its rank, an interrupted wait) is only its echo.
                final CommException named = world.fault.toException(config.rank(), "connect", 0);
                if (!named.getMessage().equals(ex.getMessage()))
                {
                    named.addSuppressed(ex);
                }
                throw named;
            }
            if (ex instanceof InterruptedException)
            {
                if (!woken)
                {
                    Thread.currentThread().interrupt();
                }
                throw new CommException(config.rank(), "connect", 0, "interrupted while joining the job", ex);
            }
            if (ex instanceof CommException)
            {
                throw (CommException)ex;
            }
            throw new CommException(config.rank(), "connect", 0, ex.getMessage(), ex);
        }
    }

    /** Ends the fault's interrupts of the joining thread and clears an interrupt status that was the fault's. */
    private boolean stopInterrupts()
    {
        final boolean woken = fault.stopInterrupting();
        if (woken)
        {
            Thread.interrupted();
        }
        return woken;
    }

    /**
     * Joins: every rank must reach rank 0 and exchange identities within the deadline; each later start-up step
     * (drivers, endpoints, sessions, links) then has the deadline again from its own start, so a slow host that is
     * making progress is not taken for a dead one, and every wait still ends.
     */
    private AeronCommunicator join() throws IOException, InterruptedException
    {
        final long step = config.deadline().toNanos();
        final long deadline = System.nanoTime() + step;
        final int rank = config.rank();
        final int size = config.size();
        if (rank == 0)
        {
            coordinator = Coordinator.start(config);
        }
        control = ControlClient.connect(config, fault, deadline);
        if (coordinator != null)
        {
            control.describeMissingWith(coordinator::missingFrom);
        }

        final byte[][] identities = control.round(ROUND_IDENTITY, RankIdentity.of(config).encode(), deadline,
            "connect: exchanging identities");
        final String[] hostOf = new String[size];
        final String[] addressOf = new String[size];
        final RankIdentity mine = RankIdentity.decode(identities[rank], rank);
        int mtu = Integer.MAX_VALUE;
        for (int r = 0; r < size; r++)
        {
            final RankIdentity identity = RankIdentity.decode(identities[r], r);
            hostOf[r] = identity.hostId();
            addressOf[r] = identity.address();
            mtu = Math.min(mtu, identity.proposedMtu());
            final String difference = mine.settingDifference(identity, r, rank);
            if (difference != null)
            {
                throw new CommException(rank, "connect", 0, difference);
            }
        }
        final boolean[] ipcLink = new boolean[size];
        boolean anyIpc = false;
        boolean anyUdp = false;
        int driverOwner = rank;
        for (int r = 0; r < size; r++)
        {
            final boolean sameHost = hostOf[r].equals(config.hostId());
            if (sameHost)
            {
                driverOwner = Math.min(driverOwner, r);
            }
            if (config.transport() == TransportKind.IPC && !hostOf[r].equals(hostOf[0]))
            {
                throw new CommException(rank, "connect", 0, "transport IPC needs every rank on one host id, but rank " +
                    r + " has host id '" + hostOf[r] + "' and rank 0 '" + hostOf[0] + "'; use AUTO or UDP");
            }
            for (int q = 0; q < size; q++)
            {
                final boolean ipc = config.transport() != TransportKind.UDP && hostOf[r].equals(hostOf[q]);
                if (q != r)
                {
                    anyIpc |= ipc;
                    anyUdp |= !ipc;
                }
            }
            ipcLink[r] = r != rank && sameHost && config.transport() != TransportKind.UDP;
        }

        final String aeronDir;
        if (config.aeronDir() != null)
        {
            aeronDir = config.aeronDir();
        }
        else
        {
            if (driverOwner == rank)
            {
                driver = DriverHost.launch(config, anyUdp);
            }
            aeronDir = DriverHost.aeronDirectoryFor(config).getAbsolutePath();
        }
        control.round(ROUND_DRIVERS, new byte[0], afterStep(step), "connect: starting media drivers");

        plane = new DataPlane(config, fault, aeronDir, ipcLink);
        final IdleStrategy idle = config.idleMode().newStrategy();
        final String endpoint = plane.awaitUdpEndpoint(afterStep(step), idle);
        final byte[][] endpoints = control.round(ROUND_ENDPOINTS, PeerAnnouncements.endpoint(endpoint),
            afterStep(step), "connect: exchanging inbox endpoints");
        final String[] udpEndpoints = new String[size];
        for (int r = 0; r < size; r++)
        {
            udpEndpoints[r] = PeerAnnouncements.endpoint(endpoints[r], r);
        }
        plane.openPublications(udpEndpoints, config.termLength(), mtu);

        final int[] sessions = new int[size];
        for (int r = 0; r < size; r++)
        {
            sessions[r] = plane.sessionIdTo(r);
        }
        final byte[][] sessionTable = control.round(ROUND_SESSIONS, PeerAnnouncements.sessions(sessions),
            afterStep(step), "connect: exchanging session ids");
        final int[] fromPeer = new int[size];
        for (int r = 0; r < size; r++)
        {
            fromPeer[r] = PeerAnnouncements.sessionTo(sessionTable[r], r, rank, size);
        }
        idle.reset();
        final long linksDeadline = afterStep(step);
        while (!plane.tryResolvePeers(fromPeer, addressOf))
        {
            fault.throwIfSet(rank, "connect", 0);
            if (System.nanoTime() > linksDeadline)
            {
                throw new CommException(rank, "connect", 0, "no data link with rank(s) " + plane.unresolvedPeers() +
                    " before the deadline; check that advertiseAddress is reachable from every host and UDP is " +
                    "not blocked");
            }
            idle.idle();
        }
        control.round(ROUND_READY, new byte[0], afterStep(step), "connect: waiting for every rank's links");
        if (driver != null)
        {
            driver.restrictFiles(); // every publication's log exists now
        }

        final int[] members = new int[size];
        for (int r = 0; r < size; r++)
        {
            members[r] = r;
        }
        final CollectiveEngine engine = new CollectiveEngine(
            plane, control, 0, members, rank, DataPlane.chunkBytes(anyIpc, anyUdp, mtu));
        return new AeronCommunicator(this, plane, engine);
    }

    private static long afterStep(final long step)
    {
        return System.nanoTime() + step;
    }

    /** Leaves the job in order: all ranks done, links closed, drivers stopped, control plane closed. */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        final boolean healthy = !fault.isSet();
        if (healthy && quietRound(ROUND_CLOSE))
        {
            control.finishedTogether();
        }
        fault.closing();
        CloseHelper.quietClose(plane);
        if (healthy)
        {
            quietRound(ROUND_DETACHED);
        }
        CloseHelper.quietClose(driver);
        CloseHelper.quietClose(control);
        if (coordinator != null)
        {
            try
            {
                coordinator.awaitMembersLeft(healthy ? 5_000 : 500);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            coordinator.close();
        }
    }

    private boolean quietRound(final int round)
    {
        try
        {
            control.round(round, new byte[0], System.nanoTime() + Math.min(CLOSE_TIMEOUT_NS,
                config.deadline().toNanos()), "close");
            return true;
        }
        catch (final IOException | RuntimeException ex)
        {
            LOG.log(Level.DEBUG, "rank " + config.rank() + " left without every rank: " + ex.getMessage());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private void abandon(final Exception cause)
    {
        if (control != null && !fault.isSet())
        {
            control.abort("rank " + config.rank() + " failed to join: " + cause.getMessage(), false);
        }
        fault.closing();
        CloseHelper.quietCloseAll(plane, driver, control, coordinator);
    }
}
