package io.slipstream.launcher.netfault;

import io.slipstream.launcher.local.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 7's reordering suite, short version: two {@code slipstream run} ranks over UDP whose sending drivers hold
 * back 5% of data datagrams until 3 later ones have overtaken them ({@link ReorderingSendChannelEndpoint}; this
 * machine's kernel has no sch_netem for {@code netem reorder}) still get every allreduce element exactly equal to
 * the expected sum, as the clean runs do, only slower; the slowdown is printed. The long version is
 * {@code slurm/netfault/udp-faults.sh} with a reorder rate.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class UdpReorderIT
{
    private static final double RATE = 0.05;
    private static final int DISTANCE = 3;

    @TempDir
    Path dir;

    @Test
    void reorderedDatagramsLeaveEveryResultExactAndOnlySlowDown() throws Exception
    {
        final List<String> driversBefore = netfaultDriverDirectories();
        final UdpFaultTrial.Settings settings =
            new UdpFaultTrial.Settings(CommandRun.SLIPSTREAM, dir, "64K", "1M", 20, 3, 40);
        final UdpFaultReport.Comparison comparison =
            UdpFaultReport.compare(settings, NetworkFaults.reorder(RATE, DISTANCE), 2, 7);
        UdpFaultReport.print(comparison, System.out);

        final String output = comparison.outputs();
        assertTrue(comparison.allSucceeded(), output);
        assertEquals(5, comparison.sizes(), output);
        assertEquals(0, comparison.wrong(), "elements that differ from the exact sum, clean or reordered");
        for (final UdpFaultTrial.Result clean : comparison.clean())
        {
            assertEquals(0, clean.framesHeld(), "a clean network holds nothing back");
            assertEquals(0, clean.framesDropped(), "a clean network drops nothing on purpose");
        }
        for (final UdpFaultTrial.Result reordered : comparison.faulty())
        {
            // One datagram is held at a time, so slightly fewer than RATE of them are.
            final double heldShare = (double)reordered.framesHeld() / reordered.datagramsSent();
            assertTrue(heldShare > RATE / 3 && heldShare < RATE * 1.5, "about " + RATE * 100 + "% of " +
                reordered.datagramsSent() + " data datagrams held back, got " + reordered.framesHeld());
            assertTrue(reordered.framesReordered() > reordered.framesHeld() / 2, "most held datagrams are overtaken " +
                "(reordered " + reordered.framesReordered() + " of " + reordered.framesHeld() + ")");
            assertEquals(0, reordered.framesDropped(), "reordering alone drops nothing");
        }
        assertEquals(driversBefore, netfaultDriverDirectories(), "the drivers' directories are removed");
    }

    private static List<String> netfaultDriverDirectories()
    {
        final String[] names = new File("/dev/shm").list((d, name) -> name.startsWith("slipstream-netfault-"));
        return names == null ? List.of() : Arrays.stream(names).sorted().toList();
    }
}
