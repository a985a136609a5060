package com.example;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the example as a user would, on 2 local ranks, and checks both end with the same parameters. */
class ConvNetTrainingTest
{
    private static final Pattern DIGEST =
        Pattern.compile("^\\[rank (\\d)] rank \\d accuracy ([0-9.]+) parameters sha256 ([0-9a-f]{64})$",
            Pattern.MULTILINE);

    @TempDir
    Path runDir;

    @Test
    @Timeout(180)
    void twoLocalRanksEndWithEqualParameters() throws IOException, InterruptedException
    {
        final Path slipstream = Path.of("..", "..", "launcher", "bin", "slipstream").toAbsolutePath().normalize();
        final Path log = runDir.resolve("output.txt");
        final Process process = new ProcessBuilder(List.of(slipstream.toString(), "local", "-n", "2", "--verbose",
            "--run-dir", runDir.resolve("run").toString(), "--classpath", Path.of("target", "classes").toString(),
            "--main", ConvNetTraining.class.getName(), "3"))
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(150, TimeUnit.SECONDS))
        {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("the example did not finish in 150 s:\n" + Files.readString(log));
        }
        final String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), output);
        final Matcher matcher = DIGEST.matcher(output);
        final String[] digests = new String[2];
        while (matcher.find())
        {
            digests[Integer.parseInt(matcher.group(1))] = matcher.group(3);
            assertTrue(Double.parseDouble(matcher.group(2)) > 0.8, "the network learns the images:\n" + output);
        }
        assertTrue(digests[0] != null && digests[1] != null, "both ranks print their digest:\n" + output);
        assertEquals(digests[0], digests[1], "both ranks end with bit-identical parameters");
        assertTrue(Files.size(runDir.resolve("run").resolve("metrics.jsonl")) > 0, "rank 0 writes metrics.jsonl");
    }
}
