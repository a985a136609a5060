package io.slipstream.launcher.experiment;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A user's own code compiled from source against the test class path into a jar of its own, as a user's build
 * would make it: a {@code ModelFamily} with its {@code META-INF/services} entry, or a program with a
 * {@code Main-Class}.
 */
public final class UserJar
{
    private UserJar()
    {
    }

    /** A user family named {@code nearest_centroid} with one parameter, {@code shrink} in [0, 1). */
    public static final String NEAREST_CENTROID = """
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

    /** {@link #NEAREST_CENTROID} compiled into {@code dir/NearestCentroidFamily.jar}. */
    public static Path nearestCentroid(final Path dir) throws IOException
    {
        return family(dir, "NearestCentroidFamily", NEAREST_CENTROID);
    }

    /**
     * Compiles {@code source} (one public class {@code className} in package {@code com.example}) into
     * {@code dir/NAME.jar}, registered as a model family; returns the jar.
     */
    public static Path family(final Path dir, final String className, final String source) throws IOException
    {
        final Path classes = compile(dir, "com/example/" + className, source);
        final Path jar = dir.resolve(className + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)))
        {
            addClasses(out, classes);
            out.putNextEntry(new JarEntry("META-INF/services/io.slipstream.trainer.model.ModelFamily"));
            out.write(("com.example." + className + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }

    /**
     * Compiles {@code source} (one public class {@code className} in the unnamed package) into the runnable
     * {@code dir/app.jar}, with {@code className} as its {@code Main-Class}; returns the jar.
     */
    public static Path program(final Path dir, final String className, final String source) throws IOException
    {
        final Path classes = compile(dir, className, source);
        final Path jar = dir.resolve("app.jar");
        final Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, className);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest))
        {
            addClasses(out, classes);
        }
        return jar;
    }

    /** Compiles {@code source}, the class at {@code path} (slashes, no .java), against the test class path. */
    private static Path compile(final Path dir, final String path, final String source) throws IOException
    {
        final Path file = dir.resolve("src").resolve(path + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source);
        final Path classes = Files.createDirectories(dir.resolve("classes"));
        final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        final ByteArrayOutputStream errors = new ByteArrayOutputStream();
        final int rc = javac.run(null, errors, errors, "-d", classes.toString(), "-classpath",
            System.getProperty("java.class.path"), file.toString());
        assertEquals(0, rc, errors.toString(StandardCharsets.UTF_8));
        return classes;
    }

    private static void addClasses(final JarOutputStream out, final Path classes) throws IOException
    {
        try (Stream<Path> files = Files.walk(classes))
        {
            for (final Path c : files.filter(Files::isRegularFile).toList())
            {
                out.putNextEntry(new JarEntry(classes.relativize(c).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(c));
                out.closeEntry();
            }
        }
    }
}
