package io.slipstream.comm.transport;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DriverHostTest
{
    @Test
    void staleDirectoryOfADeadDriverIsRemovedAndALiveOneIsKept() throws Exception
    {
        final File base = Files.createTempDirectory(DriverHost.baseDirectory().toPath(), "sweep-").toFile();
        final File dead = new File(base, DriverHost.DIR_PREFIX + "test-dead-" + UUID.randomUUID());
        final File live = new File(base, DriverHost.DIR_PREFIX + "test-live-" + UUID.randomUUID());
        // A driver that stops without deleting its directory stands for one killed with -9.
        final MediaDriver.Context deadCtx = new MediaDriver.Context().aeronDirectoryName(dead.getAbsolutePath())
            .threadingMode(ThreadingMode.SHARED).dirDeleteOnShutdown(false).dirDeleteOnStart(true);
        MediaDriver.launch(deadCtx).close();
        assertTrue(dead.exists());
        try (MediaDriver driver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(live.getAbsolutePath()).threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnShutdown(true).dirDeleteOnStart(true)))
        {
            Thread.sleep(1_500);
            DriverHost.sweepStale(base, 1_000, 0);
            assertFalse(dead.exists(), "a dead driver's directory is removed");
            assertTrue(live.exists(), "a live driver's directory is kept");
        }
        finally
        {
            org.agrona.IoUtil.delete(dead, true);
        }
        assertFalse(live.exists());
        assertTrue(base.delete());
    }
}
