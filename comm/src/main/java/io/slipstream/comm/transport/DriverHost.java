package io.slipstream.comm.transport;

import io.slipstream.comm.OneLineLog;
import io.aeron.CommonContext;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.slipstream.comm.CommConfig;
import io.slipstream.comm.IdleMode;
import org.agrona.IoUtil;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The embedded media driver one rank per host runs for all of that host's ranks, in a directory named for the job
 * and host, deleted on close. The job's directory is created owner-only (0700) before anything is written into it,
 * and the driver's own directory ({@value #AERON_SUBDIRECTORY} inside it) holds the job's data in its log buffers:
 * no other user of the host can enter it, and its files are made 0600 as well. Before launching, directories of
 * earlier slipstream drivers that are no longer alive (no CnC heartbeat) are removed, so a run killed with -9 never
 * breaks or clutters the next one.
 */
public final class DriverHost implements AutoCloseable
{
    public static final String DIR_PREFIX = "slipstream-";
    /** The media driver's directory inside a job's directory. */
    public static final String AERON_SUBDIRECTORY = "aeron";
    private static final OneLineLog LOG = OneLineLog.of(DriverHost.class);
    private static final long LIVE_HEARTBEAT_MS = 10_000;
    private static final long YOUNG_DIR_GRACE_MS = 30_000;
    private static final int UDP_WINDOW_BYTES = 4 * 1024 * 1024;
    private static final Consumer<String> QUIET = (line) -> { };

    private final MediaDriver driver;
    private final File dir;
    private final Thread shutdownHook;
    private boolean closed;

    private DriverHost(final MediaDriver driver, final File dir)
    {
        this.driver = driver;
        this.dir = dir;
        // A program that exits without closing its communicator still removes the driver's directory.
        this.shutdownHook = new Thread(this::stop, "slipstream-driver-exit");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Where drivers live: /dev/shm when the host has it (memory-backed logs), else the temp directory. */
    public static File baseDirectory()
    {
        final File shm = new File("/dev/shm");
        return shm.isDirectory() && shm.canWrite() ? shm : new File(System.getProperty("java.io.tmpdir"));
    }

    /** The driver directory of a job on a host: the same on every rank of that host, without DNS. */
    public static File directoryFor(final CommConfig config)
    {
        final String host = config.hostId().replaceAll("[^A-Za-z0-9_.-]", "_");
        return new File(baseDirectory(), DIR_PREFIX + Integer.toHexString(config.jobHash()) + "-" +
            (host.length() > 64 ? host.substring(0, 64) : host));
    }

    /** The media driver's own directory (its {@code cnc.dat} and logs) for a job on a host. */
    public static File aeronDirectoryFor(final CommConfig config)
    {
        return new File(directoryFor(config), AERON_SUBDIRECTORY);
    }

    /**
     * Deletes {@code slipstream-*} directories under {@code base} whose driver has not beaten its heartbeat for
     * {@code heartbeatMs} and that are older than {@code graceMs}. Returns how many were removed.
     */
    public static int sweepStale(final File base, final long heartbeatMs, final long graceMs)
    {
        final File[] dirs = base.listFiles((d, name) -> name.startsWith(DIR_PREFIX));
        int removed = 0;
        if (dirs == null)
        {
            return 0;
        }
        final long now = System.currentTimeMillis();
        for (final File candidate : dirs)
        {
            if (!candidate.isDirectory() || now - newestModification(candidate) < graceMs)
            {
                continue;
            }
            removed += removeIfDead(candidate, heartbeatMs) ? 1 : 0;
        }
        return removed;
    }

    /** Deletes {@code dir} if no driver has beaten its heartbeat there for {@code heartbeatMs}; true if removed. */
    public static boolean removeIfDead(final File dir, final long heartbeatMs)
    {
        final File nested = new File(dir, AERON_SUBDIRECTORY);
        final File driverDir = nested.isDirectory() ? nested : dir;
        if (!dir.isDirectory() || CommonContext.isDriverActive(driverDir, heartbeatMs, QUIET))
        {
            return false;
        }
        IoUtil.delete(dir, true);
        if (dir.exists())
        {
            return false;
        }
        LOG.log(Level.INFO, "removed stale driver directory " + dir);
        return true;
    }

    /** Launches the embedded driver for this host of the job; {@code network} when the world has UDP links. */
    public static DriverHost launch(final CommConfig config, final boolean network)
    {
        final File base = baseDirectory();
        sweepStale(base, LIVE_HEARTBEAT_MS, YOUNG_DIR_GRACE_MS);
        final File dir = directoryFor(config);
        final File aeronDir = new File(dir, AERON_SUBDIRECTORY);
        if (dir.exists() && (CommonContext.isDriverActive(aeronDir, LIVE_HEARTBEAT_MS, QUIET) ||
            CommonContext.isDriverActive(dir, LIVE_HEARTBEAT_MS, QUIET)))
        {
            throw new IllegalStateException("a live media driver already uses " + dir + "; is job '" +
                config.jobId() + "' running twice on host '" + config.hostId() + "'? Give each run its own job id");
        }
        if (dir.exists())
        {
            IoUtil.delete(dir, false);
        }
        // A JVM that exits while the driver starts (a peer lost during start-up) must not leave the directory
        // behind: until the host's own hook is registered, this one removes it.
        final Thread startingHook = new Thread(() -> IoUtil.delete(dir, true), "slipstream-driver-start-exit");
        Runtime.getRuntime().addShutdownHook(startingHook);
        final DriverHost host;
        try
        {
            createOwnerOnly(dir);
            final MediaDriver.Context ctx = configure(new MediaDriver.Context()
                .aeronDirectoryName(aeronDir.getAbsolutePath())
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .warnIfDirectoryExists(false), config.idleMode(), config.termLength(), network);
            host = new DriverHost(MediaDriver.launch(ctx), dir);
        }
        catch (final RuntimeException ex)
        {
            IoUtil.delete(dir, true);
            throw ex;
        }
        finally
        {
            try
            {
                Runtime.getRuntime().removeShutdownHook(startingHook);
            }
            catch (final IllegalStateException exiting)
            {
                // The JVM is exiting: the hook runs and removes the directory.
            }
        }
        host.restrictFiles();
        return host;
    }

    /** Creates {@code dir} with permissions 0700 from the start, so nothing is ever readable by others there. */
    private static void createOwnerOnly(final File dir)
    {
        try
        {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix"))
            {
                Files.createDirectory(dir.toPath(),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            else
            {
                Files.createDirectory(dir.toPath());
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create the media driver's directory " + dir + ": " +
                ex.getMessage(), ex);
        }
    }

    /**
     * Makes everything the driver has written so far owner-only (0600 files, 0700 directories): call again once
     * the job's publications exist, as their logs are created then.
     */
    public void restrictFiles()
    {
        OwnerOnly.restrict(dir.toPath(), true);
    }

    /**
     * Sets a driver context up as comm's own drivers are (test drivers with injected faults use it too, so they
     * measure what a job would see): threads, idle strategies, terms, UDP buffers and liveness timeouts.
     *
     * <p>IPC data never passes through the driver, so an IPC-only world gets one backing-off agent for everything:
     * on a few shared cores extra spinning threads cost more than they give (on 2 cores, three busy-spinning
     * threads stalled a job for over a minute, and DEDICATED threading was slower than SHARED). With UDP links
     * ({@code network}) every byte crosses the driver's sender and receiver, so they get a thread of their own beside
     * the conductor's: measured on 2 cores with 2 ranks, 1-64 MiB allreduces over UDP went from 1.0-1.4 to 1.6-2.1
     * GB/s busbw at load average 7 (one shared agent against SHARED_NETWORK; a thread each for sender and receiver
     * was in between). Every agent backs off unless the job asked for busy-spin.
     */
    public static MediaDriver.Context configure(
        final MediaDriver.Context context, final IdleMode idle, final int termLength, final boolean network)
    {
        return context
            .threadingMode(network ? ThreadingMode.SHARED_NETWORK : ThreadingMode.SHARED)
            .sharedIdleStrategy(idle.newDriverStrategy())
            .sharedNetworkIdleStrategy(idle.newDriverStrategy())
            // The conductor moves IPC publishers' windows on; it must not sleep long (see newDriverStrategy).
            .conductorIdleStrategy(idle.newDriverStrategy())
            .termBufferSparseFile(true)
            .ipcTermBufferLength(termLength)
            .publicationTermBufferLength(termLength)
            // 4 MiB socket buffers and receiver window (half a term; the usual net.core.rmem_max here) keep 64 of
            // the 64 KiB loopback frames in flight: 1-16 MiB allreduces over UDP measured 1.6-2.2 GB/s busbw against
            // 0.6-2.0 with 2 MiB, side by side at load average 6.6.
            .socketRcvbufLength(UDP_WINDOW_BYTES)
            .socketSndbufLength(UDP_WINDOW_BYTES)
            .initialWindowLength(UDP_WINDOW_BYTES)
            .imageLivenessTimeoutNs(TimeUnit.SECONDS.toNanos(10))
            .clientLivenessTimeoutNs(TimeUnit.SECONDS.toNanos(10));
    }

    public File directory()
    {
        return dir;
    }

    @Override
    public void close()
    {
        try
        {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        }
        catch (final IllegalStateException alreadyExiting)
        {
            // The hook is running or about to; stopping twice is harmless.
        }
        stop();
    }

    private synchronized void stop()
    {
        if (!closed)
        {
            closed = true;
            driver.close();
            if (dir.exists())
            {
                IoUtil.delete(dir, true);
            }
        }
    }

    private static long newestModification(final File dir)
    {
        long newest = dir.lastModified();
        final File[] files = dir.listFiles();
        if (files != null)
        {
            for (final File f : files)
            {
                newest = Math.max(newest, f.lastModified());
            }
        }
        return newest;
    }
}
