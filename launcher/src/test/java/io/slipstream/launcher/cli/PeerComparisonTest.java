package io.slipstream.launcher.cli;

import io.slipstream.comm.TransportKind;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeerComparisonTest
{
    private static final List<String> SLIPSTREAM = List.of(
        "slipstream local: 2 ranks of 'bench-allreduce', run directory /tmp/x",
        "[rank 0] # slipstream allreduce: 2 ranks, FLOAT32 SUM, median of up to 200 iterations",
        "[rank 0] #        bytes        count     time_us  algbw_GBps  busbw_GBps   wrong",
        "[rank 0]              8            2        4.00       0.002       0.002       0",
        "[rank 0]           1024          256       10.00       0.102       0.102       0",
        "[rank 0]        1048576       262144      500.00       2.097       2.000       0");

    private static final List<String> MPI = List.of(
        "# mpi allreduce: 2 ranks, FLOAT32 SUM, median of up to 200 iterations",
        "#        bytes        count     time_us  algbw_GBps  busbw_GBps   wrong",
        "             8            2        2.00       0.004       0.004       0",
        "          1024          256        0.00       0.000       0.000       0",
        "       1048576       262144      250.00       4.194       4.000       0",
        "       2097152       524288      480.00       4.369       4.369       0");

    @Test
    void parsesRowsWithAndWithoutRankPrefixAndSkipsOtherLines()
    {
        final List<AllreduceTable.Row> rows = AllreduceTable.parse(SLIPSTREAM);

        assertEquals(3, rows.size());
        assertEquals(new AllreduceTable.Row(1048576, 500.0, 2.0), rows.get(2));
        assertEquals(new AllreduceTable.Row(2097152, 480.0, 4.369), AllreduceTable.parse(MPI).get(3));
    }

    @Test
    void printsRatioOfBusBandwidthPerSizeBothRunsHave()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        final int matched = PeerComparison.print(out, "title", "mpi", AllreduceTable.parse(SLIPSTREAM),
            AllreduceTable.parse(MPI));

        final List<String> lines = bytes.toString(StandardCharsets.UTF_8).strip().lines().toList();
        assertEquals(3, matched);
        assertEquals("# title", lines.get(0));
        assertTrue(lines.get(1).contains("busbw_ratio"), lines.get(1));
        assertEquals(List.of("8", "4.00", "2.00", "0.002", "0.004", "0.50"), List.of(lines.get(2).strip().split("\\s+")));
        assertTrue(lines.get(3).strip().endsWith("n/a"), lines.get(3));
        assertEquals(List.of("1048576", "500.00", "250.00", "2.000", "4.000", "0.50"),
            List.of(lines.get(4).strip().split("\\s+")));
        assertEquals(5, lines.size());
    }

    @Test
    void busbwRatioIsPeerTimeOverSlipstreamTime()
    {
        assertEquals("0.80", PeerComparison.ratio(5.0, 4.0));
        assertEquals("2.50", PeerComparison.ratio(2.0, 5.0));
        assertEquals("n/a", PeerComparison.ratio(5.0, 0.0));
        assertEquals("n/a", PeerComparison.ratio(0.0, 5.0));
    }

    @Test
    void saysSoWhenNoSizeMatches()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        assertEquals(0, PeerComparison.print(out, "t", "mpi", AllreduceTable.parse(SLIPSTREAM), List.of()));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("no size is in both tables"));
    }

    @Test
    void recorderPassesOutputOnAndKeepsCompleteLines()
    {
        final ByteArrayOutputStream shown = new ByteArrayOutputStream();
        final LineRecorder recorder = new LineRecorder(new PrintStream(shown, true, StandardCharsets.UTF_8));
        final PrintStream stream = recorder.printStream();

        stream.print("one\r\ntwo\n");
        stream.print("partial");

        assertEquals("one\r\ntwo\npartial", shown.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("one", "two"), recorder.takeLines());
        assertEquals(List.of(), recorder.takeLines());
    }

    @Test
    void titleNamesTcpRestrictionForUdp()
    {
        assertTrue(BenchCommand.title("mpi", 2, TransportKind.UDP).contains("--mca btl tcp,self"));
        assertTrue(BenchCommand.title("mpi", 2, TransportKind.IPC).contains("default transports"));
        assertTrue(BenchCommand.title("gloo", 2, TransportKind.UDP).endsWith("slipstream / gloo"));
    }
}
