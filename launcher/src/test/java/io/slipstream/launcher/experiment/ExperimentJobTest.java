package io.slipstream.launcher.experiment;

import io.slipstream.comm.Comm;
import io.slipstream.comm.ThreadRanks;
import io.slipstream.launcher.job.JobContext;
import io.slipstream.launcher.spec.SpecException;
import io.slipstream.launcher.spec.SpecNode;
import io.slipstream.trainer.cluster.KMeansModel;
import io.slipstream.trainer.forest.RandomForest;
import io.slipstream.trainer.model.RunHooks;
import io.slipstream.trainer.onnx.OnnxExportable;
import io.slipstream.trainer.report.OwnerOnlyFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExperimentJobTest
{
    private static final Path EXAMPLES = Path.of("..", "examples");

    private static ExperimentJob load(final String yaml)
    {
        return ExperimentJob.fromSpec(SpecNode.parse(yaml, "test.yaml"));
    }

    private static String runOn(final int ranks, final ExperimentJob job, final Path runDir)
    {
        final ByteArrayOutputStream text = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
        if (ranks == 1)
        {
            try
            {
                assertEquals(0, job.run(new JobContext(Comm.self(), runDir, 42, RunHooks.NONE, out)));
            }
            catch (final Exception ex)
            {
                throw new AssertionError(ex);
            }
        }
        else
        {
            ThreadRanks.run(ranks, world -> assertEquals(0,
                job.run(new JobContext(world, runDir, 42, RunHooks.NONE, out))));
        }
        return text.toString(StandardCharsets.UTF_8);
    }

    @Test
    void referenceExperimentRunsOnTwoRanksAndWritesItsOutputs(@TempDir final Path runDir) throws Exception
    {
        final ExperimentJob job =
            ExperimentJob.fromSpec(SpecNode.load(EXAMPLES.resolve("iris-random-forest-grid.yaml")));
        final String printed = runOn(2, job, runDir);
        final JsonNode summary = new ObjectMapper().readTree(runDir.resolve("summary.json").toFile());
        assertEquals(540, summary.get("fits").asInt());
        assertEquals(2, summary.get("world_size").asInt());
        assertTrue(summary.get("test").get("accuracy").asDouble() >= 0.93, summary.toString());
        assertTrue(summary.get("best_cv_score").asDouble() >= 0.9, summary.toString());
        assertEquals(10, summary.get("test").get("per_class").get("setosa").get("support").asInt());
        assertEquals(4, summary.get("feature_importances").size());
        for (final String key : List.of("best_params", "wall_seconds", "model_file"))
        {
            assertTrue(summary.has(key), key);
        }
        for (final String key : List.of("precision_macro", "recall_macro", "f1_macro", "confusion_matrix"))
        {
            assertTrue(summary.get("test").has(key), key);
        }
        final List<String> csv = Files.readAllLines(runDir.resolve("cv_results.csv"));
        assertEquals(109, csv.size());
        assertTrue(csv.get(0).contains("split4_test_score,mean_test_score,std_test_score,rank_test_score"));
        assertTrue(Files.readString(runDir.resolve("report.html")).contains("<svg"));
        assertTrue(Files.exists(runDir.resolve("best_params.json")));
        final RandomForest forest = RandomForest.load(runDir.resolve(RandomForest.FILE_NAME));
        assertEquals(summary.get("best_params").get("n_estimators").asInt(), forest.treeCount());
        assertPortableCopy(runDir, forest);
        assertTrue(printed.contains("test: accuracy="), printed);
    }

    @Test
    void kmeansExampleRunsHybridAndFindsTheBlobs(@TempDir final Path runDir) throws Exception
    {
        final ExperimentJob job = ExperimentJob.fromSpec(SpecNode.load(EXAMPLES.resolve("kmeans-blobs.yaml")));
        runOn(2, job, runDir);
        final JsonNode summary = new ObjectMapper().readTree(runDir.resolve("summary.json").toFile());
        assertEquals(4, summary.get("best_params").get("n_clusters").asInt());
        assertTrue(summary.get("test").has("inertia"));
        assertTrue(summary.get("test").get("adjusted_rand").asDouble() > 0.9, summary.toString());
        assertPortableCopy(runDir, KMeansModel.load(runDir.resolve(KMeansModel.FILE_NAME)));
    }

    /** model.onnx beside the saved model is that model's ONNX export, owner-only like every output. */
    private static void assertPortableCopy(final Path runDir, final OnnxExportable saved) throws Exception
    {
        final Path onnx = runDir.resolve(OnnxExportable.FILE_NAME);
        final ByteArrayOutputStream expected = new ByteArrayOutputStream();
        saved.writeOnnx(expected);
        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(onnx));
        assertEquals(OwnerOnlyFile.PERMISSIONS, Files.getPosixFilePermissions(onnx));
    }

    @Test
    void selfTrainingExampleReportsItsBaseline(@TempDir final Path runDir) throws Exception
    {
        final ExperimentJob job = ExperimentJob.fromSpec(SpecNode.load(EXAMPLES.resolve("iris-self-training.yaml")));
        final String printed = runOn(1, job, runDir);
        final JsonNode summary = new ObjectMapper().readTree(runDir.resolve("summary.json").toFile());
        assertTrue(summary.get("baseline").has("accuracy"), summary.toString());
        assertTrue(summary.get("test").get("pseudo_labeled").asDouble() > 0, summary.toString());
        assertTrue(printed.contains("labeled-only baseline: accuracy="), printed);
        assertPortableCopy(runDir, RandomForest.load(runDir.resolve(RandomForest.FILE_NAME)));
    }

    @Test
    void serialAndHybridRunsWriteTheSameCvTable(@TempDir final Path dir) throws Exception
    {
        final String spec = "name: t\ndata: {source: iris}\nmodel: {family: random_forest}\n" +
            "search: {strategy: grid, grid: {n_estimators: [10, 20], max_depth: [2, null]}}\ncv: {folds: 3}\n";
        final Path serial = Files.createDirectory(dir.resolve("serial"));
        final Path hybrid = Files.createDirectory(dir.resolve("hybrid"));
        runOn(1, load(spec + "execution: {mode: serial}\n"), serial);
        runOn(2, load(spec + "execution: {mode: hybrid, group_size: 2}\n"), hybrid);
        assertEquals(scores(serial), scores(hybrid));
    }

    @Test
    void aStoppedExperimentResumesFromItsJournal(@TempDir final Path dir) throws Exception
    {
        final String spec = "name: t\ndata: {source: iris}\nmodel: {family: random_forest}\n" +
            "search: {strategy: grid, grid: {n_estimators: [5, 10, 15], max_depth: [2, null]}}\ncv: {folds: 3}\n" +
            "scheduling: {tasks_per_wave: 2}\n";
        final Path whole = Files.createDirectory(dir.resolve("whole"));
        final Path stopped = Files.createDirectory(dir.resolve("stopped"));
        runOn(2, load(spec), whole);
        final AtomicInteger asked = new AtomicInteger();
        final RunHooks stopSoon = new RunHooks()
        {
            @Override
            public boolean stopRequested()
            {
                return asked.incrementAndGet() > 3;
            }
        };
        final PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(ExperimentJob.STOPPED, load(spec).run(new JobContext(Comm.self(), stopped, 42, stopSoon, quiet)));
        assertTrue(Files.exists(stopped.resolve(ExperimentJob.JOURNAL)));
        assertTrue(!Files.exists(stopped.resolve("summary.json")));
        final String printed = runOn(1, load(spec), stopped);
        assertTrue(printed.contains("resumed: "), printed);
        assertEquals(scores(whole), scores(stopped));
        assertTrue(!Files.exists(stopped.resolve(ExperimentJob.JOURNAL)));
    }

    @Test
    void aStopInTheLastWaveExitsStoppedReportsNothingAndTheResumeCompletes(@TempDir final Path dir) throws Exception
    {
        final String spec = "name: t\ndata: {source: iris}\nmodel: {family: random_forest}\n" +
            "search: {strategy: grid, grid: {n_estimators: [5, 10], max_depth: [2]}}\ncv: {folds: 3}\n";
        final Path whole = Files.createDirectory(dir.resolve("whole"));
        final Path stopped = Files.createDirectory(dir.resolve("stopped"));
        final PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        // The scheduler asks once per wave, so the number of questions in a whole run is its wave count.
        final AtomicInteger waves = new AtomicInteger();
        final RunHooks counting = new RunHooks()
        {
            @Override
            public boolean stopRequested()
            {
                waves.incrementAndGet();
                return false;
            }
        };
        assertEquals(0, load(spec).run(new JobContext(Comm.self(), whole, 42, counting, quiet)));
        final AtomicInteger asked = new AtomicInteger();
        final RunHooks stopInLastWave = new RunHooks()
        {
            @Override
            public boolean stopRequested()
            {
                return asked.incrementAndGet() >= waves.get();
            }
        };
        assertEquals(ExperimentJob.STOPPED,
            load(spec).run(new JobContext(Comm.self(), stopped, 42, stopInLastWave, quiet)));
        assertEquals(waves.get(), asked.get());
        for (final String name : List.of("summary.json", "best_params.json", "test_metrics.json", "cv_results.csv",
            "report.html"))
        {
            assertFalse(Files.exists(stopped.resolve(name)), name + " must not be written by a stopped run");
        }
        final String printed = runOn(1, load(spec), stopped);
        assertTrue(printed.contains("resumed: "), printed);
        assertEquals(scores(whole), scores(stopped));
        assertTrue(Files.exists(stopped.resolve("summary.json")));
        assertFalse(Files.exists(stopped.resolve(ExperimentJob.JOURNAL)));
    }

    private static List<String> scores(final Path dir) throws Exception
    {
        // Everything but the timing columns.
        return Files.readAllLines(dir.resolve("cv_results.csv")).stream()
            .map(line -> line.substring(nthComma(line, 3) + 1)).toList();
    }

    private static int nthComma(final String line, final int n)
    {
        int at = -1;
        for (int i = 0; i < n; i++)
        {
            at = line.indexOf(',', at + 1);
        }
        return at;
    }

    @Test
    void specErrorsNameThePathTheValueAndWhatIsAllowed()
    {
        final String base = "name: t\ndata: {source: iris}\n";
        assertError(base + "model: {family: random_forest}\nsearch: {strategy: grid, grid: {n_estimators: []}}\n",
            "search.grid.n_estimators", "empty list");
        assertError(base + "model: {family: random_forest}\nsearch: {strategy: grid, grid: {}}\n",
            "search.grid", "is empty");
        assertError(base + "model: {family: random_forest}\ncv: {folds: 50}\n", "cv.folds",
            "smallest class has only 40");
        assertError(base + "model: {family: random_forest}\ncv: {fold: 5}\n", "cv.fold", "allowed here: folds");
        assertError(base + "model: {family: random_forest}\ncv: {folds: five}\n", "cv.folds", "expected an integer");
        assertError(base + "model: {family: forest}\n", "model.family",
            "use one of dl4j, kmeans, logistic_regression, mlp, random_forest, self_training");
        assertError(base + "model: {family: random_forest}\nsearch: {strategy: grid, grid: {max_depth: [0]}}\n",
            "search", "max_depth must be an integer >= 1");
        assertError(base + "model: {family: random_forest, params: {n_estimators: 5}}\n" +
            "search: {strategy: grid, grid: {n_estimators: [1]}}\n", "search",
            "both fixed in model.params and searched");
        assertError(base + "model: {family: kmeans}\nselection: {metric: accuracy}\n", "selection.metric",
            "unsupervised");
        assertError(base + "model: {family: random_forest}\nexecution: {mode: parallel, group_size: 2}\n",
            "execution.group_size", "only used with mode: hybrid");
        assertError(base + "model: {family: random_forest}\nexecution: {mode: fast}\n", "execution.mode",
            "serial, parallel, hybrid");
        assertError(base + "model: {family: random_forest}\nsearch: {strategy: random, space: {n_estimators: " +
            "{low: 10, high: 5, int: true}}}\n", "search.space.n_estimators.high", "below low");
        assertError(base + "model: {family: random_forest}\nsplit: {test_fraction: 1.5}\n", "split.test_fraction",
            "out of range");
        assertError("name: t\ndata: {source: iris, keep_labels: 0.05}\nmodel: {family: self_training}\n" +
            "cv: {folds: 3}\n", "cv.folds", "labeled rows");
        assertError("name: t\nmodel: {family: random_forest}\n", "data", "is missing");
        assertError("name: t\ndata: {path: x.csv}\nmodel: {family: random_forest}\n", "data.source",
            "is missing; use one of iris, csv");
        assertError(base + "model: {family: random_forest}\nserach: {strategy: grid}\n", "serach",
            "unknown key; allowed here: checkpoint, cv, data");
        assertError(base + "model: {family: random_forest}\nsharding: {strategy: partitioned, column: colour}\n",
            "sharding.column", "'colour' is not a feature");
    }

    @Test
    void hybridGroupsLargerThanTheWorldFailAtRun(@TempDir final Path runDir)
    {
        final ExperimentJob job = load("name: t\ndata: {source: iris}\nmodel: {family: random_forest}\n" +
            "execution: {mode: hybrid, group_size: 4}\n");
        final SpecException ex = assertThrows(SpecException.class, () -> job.run(new JobContext(Comm.self(), runDir,
            1, RunHooks.NONE, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))));
        assertTrue(ex.getMessage().startsWith("execution.group_size: 4 is larger than the 1 ranks"), ex.getMessage());
    }

    @Test
    void csvDataErrorsPointAtTheFile(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("d.csv");
        Files.writeString(file, "a,b,y\n1,2,x\n3,oops,y\n");
        assertError("name: t\ndata: {source: csv, path: '" + file + "', label: y}\nmodel: {family: random_forest}\n",
            "data.path", "row 3 column 2 ('b') is not a number");
    }

    @Test
    void clusteringRunsOnACsvWithoutLabels(@TempDir final Path dir) throws Exception
    {
        final StringBuilder rows = new StringBuilder("x,y\n");
        for (int i = 0; i < 60; i++)
        {
            rows.append(i % 2 == 0 ? 0.1 * (i % 7) : 10 + 0.1 * (i % 5)).append(',').append(0.05 * (i % 3))
                .append('\n');
        }
        final Path file = dir.resolve("points.csv");
        Files.writeString(file, rows.toString());
        final String data = "name: t\ndata: {source: csv, path: '" + file + "'}\n";
        final ExperimentJob job = load(data + "model: {family: kmeans}\nsearch: {strategy: grid, grid: " +
            "{n_clusters: [2, 3]}}\ncv: {folds: 3}\n");
        final Path runDir = Files.createDirectory(dir.resolve("run"));
        runOn(1, job, runDir);
        final JsonNode summary = new ObjectMapper().readTree(runDir.resolve("summary.json").toFile());
        assertEquals(2, summary.get("best_params").get("n_clusters").asInt());
        assertTrue(!summary.get("test").has("adjusted_rand"));
        assertError(data + "model: {family: random_forest}\n", "data", "has no label column");
    }

    @Test
    void autoSearchDrawsFromTheFamilySpace()
    {
        final ExperimentJob job = load("name: t\ndata: {source: iris}\nmodel: {family: random_forest}\n" +
            "search: {strategy: auto, trials: 4}\n");
        assertEquals("random_forest", job.familyName());
    }

    private static void assertError(final String yaml, final String path, final String part)
    {
        final SpecException ex = assertThrows(SpecException.class, () -> load(yaml));
        assertEquals(path, ex.path(), ex.getMessage());
        assertTrue(ex.getMessage().contains(part), ex.getMessage());
        assertEquals(-1, ex.getMessage().indexOf('\n'), ex.getMessage());
    }

    @Test
    void aTrainingSetOfOneClassIsRefused(@TempDir final Path dir) throws Exception
    {
        final StringBuilder rows = new StringBuilder("x,y\n");
        for (int i = 0; i < 30; i++)
        {
            rows.append(i).append(",only\n");
        }
        final Path csv = Files.writeString(dir.resolve("one.csv"), rows);
        final SpecException ex = assertThrows(SpecException.class, () -> load("data: {source: csv, path: '" + csv +
            "', label: y}\nmodel: {family: random_forest}\n"));
        assertTrue(ex.getMessage().startsWith("data: has labeled rows of 1 class(es) only, but random_forest learns " +
            "to tell classes apart"), ex.getMessage());
    }

    @Test
    void aBadFixedParameterIsNamedAtItsKeyPath()
    {
        final SpecException ex = assertThrows(SpecException.class,
            () -> load("data: {source: iris}\nmodel: {family: mlp, params: {hidden_layers: 16}}\n"));
        assertTrue(ex.getMessage().startsWith("model.params: setting {hidden_layers: 16}: mlp.hidden_layers must be " +
            "a list of layer widths"), ex.getMessage());
    }
}
