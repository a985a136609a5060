package io.slipstream.launcher.netfault;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ext.DebugReceiveChannelEndpoint;
import io.aeron.driver.ext.RandomLossGenerator;
import io.aeron.driver.status.SystemCounterDescriptor;
import io.slipstream.comm.CommConfig;
import io.slipstream.comm.IdleMode;
import io.slipstream.comm.transport.DriverHost;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;

import java.io.File;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * One external Aeron media driver per simulated host, each doing {@link NetworkFaults} to UDP data frames: dropping
 * a share of those it receives, at random (Aeron's {@link RandomLossGenerator}; control frames, NAKs and status
 * messages, pass), and holding back a share of those it sends so that later ones overtake them
 * ({@link ReorderingSendChannelEndpoint}). A rank started with {@code SLIPSTREAM_AERON_DIR=directory(h)} sends and
 * receives through host {@code h}'s driver, so every data frame between two such ranks crosses one faulty sender
 * and one faulty receiver. Directories live where comm puts its own ({@code /dev/shm/slipstream-netfault-*}) and are
 * removed on close. Threading, buffers, windows and terms are those of comm's own driver for a world with UDP links
 * ({@code DriverHost.configure}), so without faults the trial measures what a job would see.
 */
final class FaultyDrivers implements AutoCloseable
{
    private final MediaDriver[] drivers;
    private final File[] directories;
    private final CountedLoss[] losses;
    private final ReorderCounts[] reorders;
    private final Thread closeOnExit = new Thread(this::closeDrivers, "netfault-drivers-close");

    FaultyDrivers(final int hosts, final NetworkFaults faults, final long seed)
    {
        drivers = new MediaDriver[hosts];
        directories = new File[hosts];
        losses = new CountedLoss[hosts];
        reorders = new ReorderCounts[hosts];
        // A trial stopped by a signal (the script's trap) still removes the drivers' directories.
        Runtime.getRuntime().addShutdownHook(closeOnExit);
        try
        {
            for (int h = 0; h < hosts; h++)
            {
                directories[h] = new File(DriverHost.baseDirectory(),
                    DriverHost.DIR_PREFIX + "netfault-" + UUID.randomUUID() + "-h" + h);
                final long hostSeed = seed + h;
                final CountedLoss loss = new CountedLoss(new RandomLossGenerator(faults.lossRate(), hostSeed));
                losses[h] = loss;
                final ReorderCounts reorder = new ReorderCounts();
                reorders[h] = reorder;
                // Each send endpoint (one per channel) draws from its own seeded sequence.
                final AtomicLong endpoints = new AtomicLong();
                final MediaDriver.Context context = DriverHost.configure(new MediaDriver.Context()
                    .aeronDirectoryName(directories[h].getAbsolutePath())
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(true), IdleMode.BACKOFF, CommConfig.DEFAULT_TERM_LENGTH, true)
                    .receiveChannelEndpointSupplier((channel, dispatcher, status, driverContext) ->
                        new DebugReceiveChannelEndpoint(channel, dispatcher, status, driverContext,
                            loss, new RandomLossGenerator(0.0, hostSeed)));
                if (faults.reorders())
                {
                    context.sendChannelEndpointSupplier((channel, status, driverContext) ->
                        new ReorderingSendChannelEndpoint(channel, status, driverContext, faults,
                            hostSeed * 1_000_003L + endpoints.getAndIncrement(), reorder));
                }
                drivers[h] = MediaDriver.launch(context);
            }
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    String directory(final int host)
    {
        return directories[host].getAbsolutePath();
    }

    /** Data frames the drivers received from the network (before any was dropped). */
    long framesReceived()
    {
        return total(losses, CountedLoss::seen);
    }

    /** Data frames the drivers dropped on purpose. */
    long framesDropped()
    {
        return total(losses, CountedLoss::dropped);
    }

    /** Data datagrams that went through a reordering send endpoint (0 when the drivers do not reorder). */
    long dataDatagramsSent()
    {
        return total(reorders, ReorderCounts::dataDatagrams);
    }

    /** Data datagrams the drivers held back on purpose. */
    long framesHeld()
    {
        return total(reorders, ReorderCounts::held);
    }

    /** Held datagrams that later ones overtook: sent out of order. */
    long framesReordered()
    {
        return total(reorders, ReorderCounts::reordered);
    }

    /** NAKs the drivers sent: each asks again for frames that were dropped, here or by the kernel. */
    long naksSent()
    {
        return sum(SystemCounterDescriptor.NAK_MESSAGES_SENT);
    }

    /** Frames the drivers sent again after a NAK. */
    long retransmitsSent()
    {
        return sum(SystemCounterDescriptor.RETRANSMITS_SENT);
    }

    /** The sum of {@code count} over the hosts' counters (hosts not started yet count 0). */
    private static <T> long total(final T[] perHost, final ToLongFunction<T> count)
    {
        long total = 0;
        for (final T counts : perHost)
        {
            total += counts == null ? 0 : count.applyAsLong(counts);
        }
        return total;
    }

    private long sum(final SystemCounterDescriptor counter)
    {
        long total = 0;
        for (final MediaDriver driver : drivers)
        {
            total += driver.context().systemCounters().get(counter).get();
        }
        return total;
    }

    @Override
    public void close()
    {
        try
        {
            Runtime.getRuntime().removeShutdownHook(closeOnExit);
        }
        catch (final IllegalStateException exiting)
        {
            // The hook is running; it closes the drivers.
        }
        closeDrivers();
    }

    private synchronized void closeDrivers()
    {
        CloseHelper.quietCloseAll(drivers);
        for (final File directory : directories)
        {
            if (directory != null && directory.exists())
            {
                IoUtil.delete(directory, true);
            }
        }
    }
}
