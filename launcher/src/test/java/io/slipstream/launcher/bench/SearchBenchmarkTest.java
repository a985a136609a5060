package io.slipstream.launcher.bench;

import io.slipstream.trainer.report.ExperimentSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SearchBenchmarkTest
{
    private static final String SUMMARY = "{\"name\":\"g\",\"best_params\":{\"n_estimators\":100,\"max_depth\":null}," +
        "\"best_cv_score\":0.958333,\"test\":{\"accuracy\":1.0},\"fits\":540,\"wall_seconds\":1.5}";

    @Test
    void printsBothLinesAndTheRatioOfTheirWallTimes(@TempDir final Path dir) throws Exception
    {
        final Path peer = Files.writeString(dir.resolve("peer.sh"), "echo importing\n" +
            "echo 'peer=scikit-learn-test n_jobs='$2' fits=540 wall_s=40.000 best_cv=0.958333 test_accuracy=1.000000 " +
            "best_params=max_depth=None,n_estimators=100'\n");
        final Path runDir = dir.resolve("run");
        final int[] ranksSeen = new int[1];
        final SearchBenchmark.LocalRun local = (ranks, job, run) ->
        {
            ranksSeen[0] = ranks;
            Files.createDirectories(run);
            Files.writeString(run.resolve(ExperimentSummary.SUMMARY), SUMMARY);
            return 0;
        };
        final ByteArrayOutputStream text = new ByteArrayOutputStream();
        final int code = new SearchBenchmark(options(dir, runDir, peer), local,
            new PrintStream(text, true, StandardCharsets.UTF_8)).run();

        final String out = text.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
        assertEquals(2, ranksSeen[0]);
        assertTrue(out.contains("slipstream ranks=2 fits=540 wall_s="), out);
        assertTrue(out.contains("best_cv=0.958333 test_accuracy=1.000000 best_params=max_depth=None," +
            "n_estimators=100 search_s=1.500"), out);
        assertTrue(out.contains("peer=scikit-learn-test n_jobs=2 fits=540 wall_s=40.000"), out);
        assertTrue(out.contains(" process_s="), out);
        assertTrue(out.contains("ratio: slipstream wall_s / scikit-learn wall_s = 0.0"), out);
    }

    @Test
    void aFailedRunOrPeerIsOneLineAndANonZeroCode(@TempDir final Path dir) throws Exception
    {
        final Path silentPeer = Files.writeString(dir.resolve("silent.sh"), "echo 'no sklearn here'; exit 2\n");
        final ByteArrayOutputStream text = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
        assertEquals(3, new SearchBenchmark(options(dir, dir.resolve("a"), silentPeer), (n, job, run) -> 3, out).run());
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("the Slipstream run failed with exit code 3"));

        final SearchBenchmark.LocalRun ok = (n, job, run) ->
        {
            Files.createDirectories(run);
            Files.writeString(run.resolve(ExperimentSummary.SUMMARY), SUMMARY);
            return 0;
        };
        assertEquals(1, new SearchBenchmark(options(dir, dir.resolve("b"), silentPeer), ok, out).run());
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("scikit-learn exited with 2 and no result line: " +
            "no sklearn here"), text.toString(StandardCharsets.UTF_8));
    }

    @Test
    void thePeersWallTimeIsRead()
    {
        assertEquals(41.5, SearchBenchmark.peerWallSeconds("peer=x n_jobs=2 wall_s=41.5 best_cv=1"), 0.0);
        assertThrows(IllegalArgumentException.class, () -> SearchBenchmark.peerWallSeconds("peer=x wall=3"));
    }

    private static SearchBenchmark.Options options(final Path dir, final Path runDir, final Path peer)
    {
        return new SearchBenchmark.Options(dir.resolve("job.yaml"), 2, runDir, Path.of("/bin/sh"), peer,
            TimeUnit.SECONDS.toNanos(30));
    }
}
