package io.slipstream.launcher.cli;

import io.slipstream.trainer.data.Blobs;
import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.data.Iris;
import io.slipstream.trainer.model.Classifier;
import io.slipstream.trainer.model.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code slipstream predict} on each saved model kind, each trained here by a one-rank {@code run}: the CSV it
 * writes holds, row by row, what the loaded model's own {@code predict} (and {@code predictProba}) gives.
 */
class PredictCommandTest
{
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(final String... args)
    {
        return new Slipstream(new PrintStream(out, true), new PrintStream(err, true), Map.of()).execute(args);
    }

    /** Trains {@code spec} on one rank and returns its run directory. */
    private Path train(final String name, final String spec) throws IOException
    {
        final Path job = Files.writeString(dir.resolve(name + ".yaml"), spec);
        final Path runDir = dir.resolve("runs").resolve(name);
        assertEquals(0, run("run", "--run-dir", runDir.toString(), job.toString()), err.toString());
        return runDir;
    }

    /** {@code data}'s features as a CSV with a header; {@code withRowId} puts a numeric row_id column first. */
    private static Path csv(final Path file, final Dataset data, final boolean withRowId) throws IOException
    {
        final StringBuilder text = new StringBuilder(withRowId ? "row_id," : "");
        text.append(String.join(",", data.featureNames())).append('\n');
        for (int i = 0; i < data.size(); i++)
        {
            final double[] row = data.row(i);
            text.append(withRowId ? i + "," : "");
            for (int f = 0; f < row.length; f++)
            {
                text.append(f > 0 ? "," : "").append(row[f]);
            }
            text.append('\n');
        }
        return Files.writeString(file, text);
    }

    /** Predicts with the command into a file and checks it line by line against the model's own predictions. */
    private void assertPredictsAsTheModel(final Path modelFile, final Path input, final Dataset data,
        final String[] labels) throws IOException
    {
        final Path output = dir.resolve(modelFile.getFileName() + ".csv");
        assertEquals(0, run("predict", modelFile.toString(), input.toString(), "--output", output.toString()),
            err.toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(output)));
        final List<String> lines = Files.readAllLines(output);
        assertEquals(data.size() + 1, lines.size());
        final Model model = PredictCommand.load(modelFile);
        final int[] predicted = model.predict(data);
        final double[][] proba = model instanceof Classifier ? ((Classifier)model).predictProba(data) : null;
        assertEquals(proba != null ? "prediction,p_" + String.join(",p_", labels) : "prediction", lines.get(0));
        for (int i = 0; i < data.size(); i++)
        {
            final StringBuilder expected = new StringBuilder(labels == null ? Integer.toString(predicted[i]) :
                labels[predicted[i]]);
            for (int c = 0; proba != null && c < proba[i].length; c++)
            {
                expected.append(',').append(String.format(Locale.ROOT, "%.6f", proba[i][c]));
            }
            assertEquals(expected.toString(), lines.get(i + 1), "row " + i);
        }
    }

    @Test
    void aForestPredictsClassNamesAndProbabilitiesTakingItsColumnsByName() throws IOException
    {
        final Path runDir = train("forest", "name: forest\ndata: {source: iris}\nmodel: {family: random_forest, " +
            "params: {n_estimators: 5, max_depth: 3}}\ncv: {folds: 2}\noutput: {report: false}\n");
        final Dataset iris = Iris.load();
        // Another column comes first: the forest takes its features by name and leaves it out.
        final Path input = csv(dir.resolve("iris.csv"), iris, true);
        assertPredictsAsTheModel(runDir.resolve("random_forest.ssrf"), input, iris, iris.classNames());

        out.reset();
        assertEquals(0, run("predict", runDir.resolve("random_forest.ssrf").toString(), input.toString()));
        assertTrue(out.toString().startsWith("prediction,p_setosa,p_versicolor,p_virginica\n"), out.toString());
    }

    @Test
    void kMeansPredictsClusters() throws IOException
    {
        final Path runDir = train("kmeans", "name: kmeans\ndata: {source: blobs, samples: 300, centers: 3, " +
            "features: 2, seed: 5}\nmodel: {family: kmeans, params: {n_clusters: 3}}\ncv: {folds: 2}\n" +
            "selection: {metric: silhouette}\noutput: {report: false}\n");
        final Dataset blobs = Blobs.generate(300, 3, 2, 1.0, 5);
        final Path input = csv(dir.resolve("blobs.csv"), blobs, false);
        assertPredictsAsTheModel(runDir.resolve("kmeans.sskm"), input, blobs, null);
    }

    @Test
    void aDl4jNetworkPredictsWithTheStandardiserSavedInItsZip() throws IOException
    {
        final Path runDir = train("mlp", "name: mlp\ndata: {source: iris}\nmodel: {family: mlp, params: " +
            "{hidden_layers: [4], epochs: 2, batch_size: 32}}\ncv: {folds: 2}\nexecution: {mode: serial}\n" +
            "training: {threads: 1}\noutput: {report: false}\n");
        final Dataset iris = Iris.load();
        final Path input = csv(dir.resolve("iris-features.csv"), iris, false);
        final Dataset unlabeled = new Dataset(rows(iris), new int[iris.size()], iris.featureNames(),
            new String[] {"0", "1", "2"});
        assertPredictsAsTheModel(runDir.resolve("model.zip"), input, unlabeled, new String[] {"0", "1", "2"});
    }

    @Test
    void badModelsAndInputsAreOneLine() throws IOException
    {
        final Path runDir = train("forest", "name: forest\ndata: {source: iris}\nmodel: {family: random_forest, " +
            "params: {n_estimators: 3}}\ncv: {folds: 2}\noutput: {report: false}\n");
        final Path model = runDir.resolve("random_forest.ssrf");
        final Path wrong = Files.writeString(dir.resolve("wrong.csv"), "a,b\n1,2\n");
        assertRefused("has columns [a, b] but the model was trained on [sepal_length", "predict", model.toString(),
            wrong.toString());
        assertRefused("does not exist", "predict", dir.resolve("none.ssrf").toString(), wrong.toString());
        final Path junk = Files.writeString(dir.resolve("junk.sskm"), "not a model");
        assertRefused("model " + junk + " could not be read", "predict", junk.toString(), wrong.toString());
        assertRefused("is not a kind Slipstream saves", "predict", wrong.toString(), wrong.toString());
        assertRefused("takes MODEL and INPUT.csv, got " + model, "predict", model.toString());
        assertFalse(Files.exists(dir.resolve("preds.csv")));
    }

    private void assertRefused(final String expected, final String... args)
    {
        err.reset();
        assertEquals(2, run(args), err.toString());
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().contains(expected), err.toString());
    }

    private static double[][] rows(final Dataset data)
    {
        final double[][] rows = new double[data.size()][];
        for (int i = 0; i < rows.length; i++)
        {
            rows[i] = data.row(i);
        }
        return rows;
    }
}
