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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 7's reordering suite, short version: two {@code slipstream run} ranks over UDP whose sending drivers hold
 * back 5% of data datagrams until 3 later ones have overtaken them ({@link ReorderingSendChannelEndpoint}; this
 * machine's kernel has no sch_netem for {@code netem reorder}) still get every allreduce element exactly equal to
 * the expected sum, as the clean runs do, only slower; the slowdown is printed. A data-parallel MLP trained over the
 * same reordering ends with exactly the clean run's parameters. The long version is
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

    @Test
    void dataParallelTrainingOverReorderingUdpEndsWithTheCleanRunsCoefficientsBitForBit() throws Exception
    {
        final List<String> driversBefore = netfaultDriverDirectories();
        // Two hidden layers of 256: ~68,000 parameters, so each gradient allreduce spans dozens of datagrams
        // that can overtake one another (a small network's gradient fits in one).
        final String spec = "name: netfault-mlp\ndata: {source: iris}\nsplit: {test_fraction: 0.2, seed: 42}\n" +
            "model:\n  family: mlp\n  params: {hidden_layers: [256, 256], activation: relu, updater: adam,\n" +
            "           learning_rate: 0.01, epochs: 5, batch_size: 8, standardize: true}\n" +
            "search: {strategy: manual}\ncv: {folds: 2}\nexecution: {mode: hybrid, group_size: 2}\n" +
            "training: {threads: 1}\noutput: {save_model: true, report: false}\n";
        final UdpFaultTrial.Result clean =
            UdpFaultTrial.runJob(CommandRun.SLIPSTREAM, dir, spec, 60, NetworkFaults.NONE, 11);
        final UdpFaultTrial.Result reordered =
            UdpFaultTrial.runJob(CommandRun.SLIPSTREAM, dir, spec, 60, NetworkFaults.reorder(RATE, DISTANCE), 11);
        System.out.printf("training over UDP: %d of %d data datagrams held back, %d reordered, %d retransmits%n",
            reordered.framesHeld(), reordered.datagramsSent(), reordered.framesReordered(), reordered.retransmits());

        assertTrue(clean.ranksSucceeded(), clean.output());
        assertTrue(reordered.ranksSucceeded(), reordered.output());
        assertTrue(clean.coefficients() != null && clean.coefficients().length > 0, clean.output());
        assertTrue(reordered.framesReordered() > 0, "datagrams were overtaken during training");
        assertArrayEquals(clean.coefficients(), reordered.coefficients(), "the trained model, bit for bit");
        assertEquals(driversBefore, netfaultDriverDirectories(), "the drivers' directories are removed");
    }

    private static List<String> netfaultDriverDirectories()
    {
        final String[] names = new File("/dev/shm").list((d, name) -> name.startsWith("slipstream-netfault-"));
        return names == null ? List.of() : Arrays.stream(names).sorted().toList();
    }
}
