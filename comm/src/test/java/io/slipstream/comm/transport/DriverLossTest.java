package io.slipstream.comm.transport;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.slipstream.comm.bootstrap.JobFault;
import org.agrona.IoUtil;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rank joining through a driver whose owner dies blocks inside Aeron until the driver timeout; the owner's loss,
 * reported on the control plane, must end that wait at once (the join then reports the lost rank, not Aeron).
 */
class DriverLossTest
{
    @Test
    void peerLossEndsAnAeronCallBlockedOnADeadDriver()
    {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
        {
            final File dir = Files.createTempDirectory("slipstream-driver-loss-").toFile();
            final MediaDriver driver = MediaDriver.launch(new MediaDriver.Context()
                .aeronDirectoryName(dir.getAbsolutePath()).threadingMode(ThreadingMode.SHARED)
                .dirDeleteOnStart(true).dirDeleteOnShutdown(false));
            final Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir.getAbsolutePath())
                .driverTimeoutMs(30_000));
            try
            {
                driver.close();
                final JobFault fault = new JobFault();
                final AtomicReference<Throwable> failure = new AtomicReference<>();
                final CountDownLatch calling = new CountDownLatch(1);
                final Thread joiner = new Thread(() ->
                {
                    try
                    {
                        calling.countDown();
                        aeron.addSubscription("aeron:ipc", 1001);
                    }
                    catch (final Throwable ex)
                    {
                        failure.set(ex);
                    }
                });
                fault.interruptOnFault(joiner);
                joiner.start();
                assertTrue(calling.await(10, TimeUnit.SECONDS));
                Thread.sleep(300);
                assertTrue(joiner.isAlive(), "the call waits on the dead driver");
                final long lostAt = System.nanoTime();
                fault.peerLost(0, "its connection closed");
                joiner.join(10_000);
                assertFalse(joiner.isAlive(), "the fault ended the blocked call");
                assertTrue(System.nanoTime() - lostAt < 5_000_000_000L, "well before Aeron's own 30 s timeout");
                assertNotNull(failure.get(), "the blocked call failed");
                assertTrue(fault.stopInterrupting(), "the fault interrupted it");
            }
            finally
            {
                aeron.close();
                IoUtil.delete(dir, true);
            }
        });
    }
}
