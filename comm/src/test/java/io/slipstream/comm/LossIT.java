package io.slipstream.comm;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.driver.ext.DebugReceiveChannelEndpoint;
import io.aeron.driver.ext.RandomLossGenerator;
import io.aeron.driver.status.SystemCounterDescriptor;
import io.slipstream.comm.transport.DriverHost;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * UDP between two hosts whose external media drivers drop 1% of received data frames at random: collectives stay
 * correct, only slower. Also covers ranks that use an external driver ({@code aeronDir}). An integration test (three
 * runs of 20 MiB-scale allreduces through lossy drivers): it runs after the unit tests, bounded to 5 minutes.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LossIT
{
    @Test
    void onePercentLossOnUdpKeepsResultsRight()
    {
        timedRun(0.0); // warm-up: compile the paths so the two timed runs compare transports, not the JIT
        final double lossless = timedRun(0.0);
        final double lossy = timedRun(0.01);
        System.out.printf("UDP 2 hosts, 20 x 1 Mi float32 allreduces: %.0f ms lossless, %.0f ms at 1%% loss (%.2fx)%n",
            lossless, lossy, lossy / lossless);
    }

    private static double timedRun(final double lossRate)
    {
        final MediaDriver[] drivers = new MediaDriver[2];
        final File[] dirs = new File[2];
        final double[] elapsedMs = new double[1];
        try
        {
            for (int h = 0; h < 2; h++)
            {
                dirs[h] = new File(DriverHost.baseDirectory(), DriverHost.DIR_PREFIX + "losstest-" + UUID.randomUUID());
                final long seed = 42 + h;
                drivers[h] = MediaDriver.launch(new MediaDriver.Context()
                    .aeronDirectoryName(dirs[h].getAbsolutePath())
                    .threadingMode(ThreadingMode.SHARED)
                    .sharedIdleStrategy(new BackoffIdleStrategy(100, 1_000, 1_000, 100_000))
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(true)
                    .receiveChannelEndpointSupplier((channel, dispatcher, status, context) ->
                        new DebugReceiveChannelEndpoint(channel, dispatcher, status, context,
                            new RandomLossGenerator(lossRate, seed), new RandomLossGenerator(0.0, seed))));
            }
            assertTimeoutPreemptively(Duration.ofSeconds(90), () -> ThreadRanks.run(2,
                (rank, builder) -> builder.hostId("h" + rank).advertiseAddress("127.0.0." + (2 + rank))
                    .aeronDir(dirs[rank].getAbsolutePath()).deadline(Duration.ofSeconds(30)),
                Duration.ofSeconds(85), (comm) ->
                {
                    final float[] data = new float[1 << 20];
                    final long start = System.nanoTime();
                    for (int round = 0; round < 20; round++)
                    {
                        for (int i = 0; i < data.length; i++)
                        {
                            data[i] = Reference.value(comm.rank(), i + round);
                        }
                        comm.allreduce(data, ReduceOp.SUM);
                        for (int i = 0; i < data.length; i += 97)
                        {
                            assertEquals(Reference.expected(ReduceOp.SUM, 2, i + round), (long)data[i]);
                        }
                        final int[] small = {comm.rank() + round};
                        comm.allreduce(small, ReduceOp.SUM);
                        assertEquals(2 * round + 1, small[0]);
                    }
                    if (comm.rank() == 0)
                    {
                        elapsedMs[0] = (System.nanoTime() - start) / 1e6;
                    }
                }));
            long naks = 0;
            for (final MediaDriver driver : drivers)
            {
                naks += driver.context().systemCounters().get(SystemCounterDescriptor.NAK_MESSAGES_SENT).get();
            }
            if (lossRate > 0)
            {
                assertTrue(naks > 0, "dropped frames must have been asked for again (NAKs sent: " + naks + ")");
            }
        }
        finally
        {
            CloseHelper.quietCloseAll(drivers);
        }
        for (final File dir : dirs)
        {
            assertFalse(dir.exists(), "external drivers remove their directories");
        }
        return elapsedMs[0];
    }
}
