package io.slipstream.launcher.local;

import io.slipstream.launcher.experiment.UserJar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11's case as a user meets it: in {@code execution: parallel}, one rank refits the best setting for three
 * minutes while the other waits at the wave barrier, under {@code --deadline 10s}. The wait is for a peer that is
 * alive and working, so the job finishes; the waiting rank says who is working on what, and nothing times out.
 * The fit is a user's family from its own jar ({@code local --classpath}), which computes for as long as it is told
 * on the refit's rows (the cross-validation fits, on fewer rows, are quick).
 */
@Timeout(value = 330, unit = TimeUnit.SECONDS)
class LongFitIT
{
    private static final long FIT_SECONDS = 180;

    private static final String SOURCE = """
        package com.example;

        import io.slipstream.trainer.data.Dataset;
        import io.slipstream.trainer.model.*;
        import java.io.*;
        import java.util.*;

        /** The majority class; a fit on at least `long_rows` rows first computes for `seconds` (one thread). */
        public final class LongFitFamily implements ClassifierFamily<LongFitFamily.Params>
        {
            public record Params(double seconds, long longRows) {}

            public String name() { return "long_fit"; }

            public Params parameters(final Map<String, Object> setting, final DataShape shape)
            {
                return new Params(((Number)setting.get("seconds")).doubleValue(),
                    ((Number)setting.get("long_rows")).longValue());
            }

            public double cost(final Params p, final DataShape shape) { return shape.rows(); }

            public Classifier fit(final Dataset train, final Params p, final FitContext context)
            {
                double x = 1;
                if (train.size() >= p.longRows())
                {
                    final long end = System.nanoTime() + (long)(p.seconds() * 1e9);
                    while (System.nanoTime() < end)
                    {
                        for (int i = 0; i < 1_000_000; i++) x = x * 1.0000001 + 1e-9;
                    }
                }
                final int[] counts = new int[train.numClasses()];
                for (int i = 0; i < train.size(); i++) if (train.label(i) >= 0) counts[train.label(i)]++;
                int best = 0;
                for (int y = 1; y < counts.length; y++) if (counts[y] > counts[best]) best = y;
                final int majority = best;
                final int k = counts.length;
                final String note = "computed " + x;
                return new Classifier()
                {
                    public int[] predict(final Dataset data)
                    {
                        final int[] out = new int[data.size()];
                        Arrays.fill(out, majority);
                        return out;
                    }

                    public double[][] predictProba(final Dataset data)
                    {
                        final double[][] out = new double[data.size()][k];
                        for (final double[] row : out) row[majority] = 1;
                        return out;
                    }

                    public String fileName() { return "long_fit.txt"; }

                    public void writeTo(final OutputStream out) throws IOException
                    {
                        out.write(note.getBytes());
                    }
                };
            }
        }
        """;

    @TempDir
    Path dir;

    @Test
    void aThreeMinuteRefitInParallelModeFinishesUnderATenSecondDeadline() throws Exception
    {
        final Path jar = UserJar.family(dir, "LongFitFamily", SOURCE);
        // 150 Iris rows: 120 for training (the refit), 80 per cross-validation fit.
        final Path job = Files.writeString(dir.resolve("long.yaml"), "name: long-fit\ndata: {source: iris}\n" +
            "model: {family: long_fit, params: {seconds: " + FIT_SECONDS + ", long_rows: 100}}\n" +
            "search: {strategy: manual}\ncv: {folds: 3}\nexecution: {mode: parallel}\n");
        final long started = System.nanoTime();
        try (CommandRun local = CommandRun.start(dir, Map.of(), CommandRun.SLIPSTREAM.toString(), "local", "-n", "2",
            "--deadline", "10s", "--classpath", jar.toString(), "--run-dir", dir.resolve("run").toString(),
            job.toString()))
        {
            final int status = local.waitFor(FIT_SECONDS + 120);
            final long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            final String text = local.output();
            assertEquals(0, status, text);
            assertTrue(seconds >= FIT_SECONDS, "the refit computed for " + FIT_SECONDS + " s; the job took " + seconds);
            assertTrue(Files.isRegularFile(dir.resolve("run/summary.json")), text);
            assertTrue(Pattern.compile("waits for work to finish \\(not a failure\\): rank [01] is working").matcher(text)
                .find(), text);
            assertFalse(text.contains("not finished after"), text);
            assertFalse(text.contains("no progress for"), text);
        }
    }
}
