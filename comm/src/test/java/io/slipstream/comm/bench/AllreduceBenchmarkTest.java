package io.slipstream.comm.bench;

import io.slipstream.comm.ThreadRanks;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AllreduceBenchmarkTest
{
    @Test
    void printsOneCorrectLinePerSize()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        final AllreduceBenchmark.Options options = AllreduceBenchmark.Options.defaults().withMaxBytes(1 << 20);
        assertTimeoutPreemptively(Duration.ofMinutes(1), () -> ThreadRanks.run(3, (comm) ->
            assertEquals(0, AllreduceBenchmark.run(comm, options, out))));
        final String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2 + 18, lines.length, String.join("\n", lines));
        assertTrue(lines[1].contains("busbw_GBps"));
        final String[] first = lines[2].trim().split("\\s+");
        assertEquals("8", first[0]);
        assertEquals("2", first[1]);
        assertEquals("0", first[5]);
        assertEquals(Integer.toString(1 << 20), lines[lines.length - 1].trim().split("\\s+")[0]);
    }
}
