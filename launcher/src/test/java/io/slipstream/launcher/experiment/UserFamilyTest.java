package io.slipstream.launcher.experiment;

import io.slipstream.comm.ThreadRanks;
import io.slipstream.launcher.job.JobContext;
import io.slipstream.launcher.spec.SpecException;
import io.slipstream.launcher.spec.SpecNode;
import io.slipstream.trainer.model.RunHooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user's own family, compiled here from source into a jar of its own (as a user's build would make it) and found
 * through {@code META-INF/services} by its name in a job spec, then searched and cross-validated like a built-in one.
 */
class UserFamilyTest
{
    private static final String SOURCE = """
        package com.example;

        import io.slipstream.trainer.data.Dataset;
        import io.slipstream.trainer.model.*;
        import java.io.*;
        import java.util.*;

        /** Nearest class centroid, the centroids pulled towards the overall mean by `shrink`. */
        public final class NearestCentroidFamily implements ClassifierFamily<NearestCentroidFamily.Params>
        {
            public record Params(double shrink) {}

            public String name() { return "nearest_centroid"; }

            public Params parameters(final Map<String, Object> setting, final DataShape shape)
            {
                for (final String key : setting.keySet())
                {
                    if (!key.equals("shrink"))
                    {
                        throw new IllegalArgumentException("nearest_centroid has no parameter '" + key + "'");
                    }
                }
                final Object shrink = setting.getOrDefault("shrink", 0.0);
                if (!(shrink instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() >= 1)
                {
                    throw new IllegalArgumentException("shrink must be a number in [0, 1), got " + shrink);
                }
                return new Params(((Number)shrink).doubleValue());
            }

            public double cost(final Params p, final DataShape shape) { return shape.rows(); }

            public Classifier fit(final Dataset train, final Params p, final FitContext context)
            {
                final int k = train.numClasses();
                final int f = train.numFeatures();
                final double[][] c = new double[k][f];
                final double[] mean = new double[f];
                final int[] n = new int[k];
                for (int i = 0; i < train.size(); i++)
                {
                    if (train.label(i) == Dataset.UNLABELED) continue;
                    n[train.label(i)]++;
                    for (int j = 0; j < f; j++) { c[train.label(i)][j] += train.feature(i, j); mean[j] += train.feature(i, j); }
                }
                final int total = Arrays.stream(n).sum();
                for (int y = 0; y < k; y++)
                    for (int j = 0; j < f; j++)
                        c[y][j] = (1 - p.shrink()) * c[y][j] / Math.max(1, n[y]) + p.shrink() * mean[j] / total;
                return new Classifier()
                {
                    public int[] predict(final Dataset data)
                    {
                        final int[] out = new int[data.size()];
                        for (int i = 0; i < out.length; i++)
                        {
                            double best = Double.MAX_VALUE;
                            for (int y = 0; y < k; y++)
                            {
                                double d = 0;
                                for (int j = 0; j < f; j++) d += Math.pow(data.feature(i, j) - c[y][j], 2);
                                if (d < best) { best = d; out[i] = y; }
                            }
                        }
                        return out;
                    }

                    public double[][] predictProba(final Dataset data)
                    {
                        final int[] y = predict(data);
                        final double[][] out = new double[y.length][k];
                        for (int i = 0; i < y.length; i++) out[i][y[i]] = 1;
                        return out;
                    }

                    public String fileName() { return "nearest_centroid.txt"; }

                    public void writeTo(final OutputStream out) throws IOException
                    {
                        out.write(Arrays.deepToString(c).getBytes());
                    }
                };
            }
        }
        """;

    private static final String SPEC = """
        name: own-family
        data: {source: iris}
        model: {family: nearest_centroid}
        search: {strategy: grid, grid: {shrink: [0.0, 0.3, 0.9]}}
        cv: {folds: 3}
        output: {save_model: true, report: true}
        """;

    @Test
    void aFamilyFromItsOwnJarIsSearchedByNameAndCrossValidated(@TempDir final Path dir) throws Exception
    {
        try (URLClassLoader loader = new URLClassLoader(new URL[]{UserJar.family(dir, "NearestCentroidFamily", SOURCE).toUri().toURL()},
            UserFamilyTest.class.getClassLoader()))
        {
            final ModelFamilies families = ModelFamilies.load(loader);
            assertTrue(families.names().contains("nearest_centroid"), families.names().toString());
            assertTrue(families.names().contains("random_forest"), "the built-in families are still there");
            final ExperimentJob job = ExperimentJob.fromSpec(SpecNode.parse(SPEC, "own.yaml"), families);
            final Path runDir = Files.createDirectory(dir.resolve("run"));
            final PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            ThreadRanks.run(2, world -> assertEquals(0, job.run(new JobContext(world, runDir, 42, RunHooks.NONE,
                out))));
            final JsonNode summary = new ObjectMapper().readTree(runDir.resolve("summary.json").toFile());
            assertEquals("nearest_centroid", summary.get("family").asText());
            assertEquals(3 * 3, summary.get("fits").asInt(), "3 settings x 3 folds");
            assertTrue(summary.get("test").get("accuracy").asDouble() > 0.7, summary.toString());
            assertTrue(Files.isRegularFile(runDir.resolve("nearest_centroid.txt")), "the best model was saved");

            // Its own checks run at load time, with the key path, like a built-in family's.
            final SpecException bad = assertThrows(SpecException.class, () -> ExperimentJob.fromSpec(
                SpecNode.parse(SPEC.replace("[0.0, 0.3, 0.9]", "[0.0, 2]"), "own.yaml"), families));
            assertTrue(bad.getMessage().contains("shrink must be a number in [0, 1), got 2"), bad.getMessage());
        }
        // Without the jar the name is unknown, and the message lists what there is.
        final SpecException unknown = assertThrows(SpecException.class,
            () -> ExperimentJob.fromSpec(SpecNode.parse(SPEC, "own.yaml")));
        assertTrue(unknown.getMessage().contains("'nearest_centroid' is not a model family"), unknown.getMessage());
    }
}
