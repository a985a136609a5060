package io.slipstream.launcher.experiment;

import io.slipstream.comm.ThreadRanks;
import io.slipstream.launcher.job.JobContext;
import io.slipstream.launcher.spec.SpecException;
import io.slipstream.launcher.spec.SpecNode;
import io.slipstream.trainer.model.RunHooks;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job spec with {@code family: dl4j}, {@code cv: none} and {@code data.test}: files are found beside the spec, the
 * test file's classes are numbered as the training file's, and mistakes are named at their key path.
 */
class Dl4jSpecTest
{
    @TempDir
    Path dir;

    /** Rows of three classes x, y, z (or those given), 3 features, well apart. */
    private Path csv(final String name, final int rows, final String... classes) throws Exception
    {
        final Random random = new Random(name.hashCode());
        final StringBuilder text = new StringBuilder("a,b,c,kind\n");
        for (int i = 0; i < rows; i++)
        {
            final int k = i % classes.length;
            final int centre = "xyz".indexOf(classes[k]) * 3;
            for (int f = 0; f < 3; f++)
            {
                text.append(centre + random.nextGaussian() * 0.5).append(',');
            }
            text.append(classes[k]).append('\n');
        }
        return Files.writeString(dir.resolve(name), text);
    }

    private void network(final Path file, final int in, final int out) throws Exception
    {
        Files.createDirectories(file.getParent());
        Files.writeString(file, new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.FLOAT)
            .updater(new Adam(0.05)).list()
            .layer(new DenseLayer.Builder().nIn(in).nOut(8).activation(Activation.RELU).dropOut(0.9).build())
            .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(out)
                .activation(Activation.SOFTMAX).build())
            .build().toJson());
    }

    private Path spec(final String yaml) throws Exception
    {
        final Path specs = Files.createDirectories(dir.resolve("specs"));
        return Files.writeString(specs.resolve("job.yaml"), yaml);
    }

    private static SpecException refused(final Path spec)
    {
        final SpecException ex = assertThrows(SpecException.class, () -> ExperimentJob.fromSpec(SpecNode.load(spec)));
        assertEquals(-1, ex.getMessage().indexOf('\n'), ex.getMessage());
        return ex;
    }

    @Test
    void aNetworkBesideTheSpecTrainsOnceOnTwoRanksAndIsEvaluatedOnTheTestFile() throws Exception
    {
        final Path train = csv("train.csv", 90, "x", "y", "z");
        final Path test = csv("test.csv", 20, "y", "z");
        network(dir.resolve("specs/nets/net.json"), 3, 3);
        final Path spec = spec("name: own\ndata: {source: csv, path: '" + train + "', test: '" + test +
            "', label: kind}\nmodel: {family: dl4j, config: nets/net.json, params: {epochs: 5, batch_size: 5, " +
            "learning_rate: 0.02}}\ncv: none\nexecution: {mode: hybrid, group_size: 2}\n");
        final ExperimentJob job = ExperimentJob.fromSpec(SpecNode.load(spec));
        final Path runDir = Files.createDirectory(dir.resolve("run"));
        final ByteArrayOutputStream text = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
        ThreadRanks.run(2, world -> assertEquals(0, job.run(new JobContext(world, runDir, 3, RunHooks.NONE, out))));
        final String printed = text.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("own: dl4j, no cross-validation: 1 fit on the training set on 2 rank(s)"), printed);

        final JsonNode summary = new ObjectMapper().readTree(runDir.resolve("summary.json").toFile());
        assertEquals(0, summary.get("folds").asInt());
        assertEquals(0.02, summary.get("best_params").get("learning_rate").asDouble());
        final JsonNode confusion = summary.get("test").get("confusion_matrix");
        assertEquals("[\"x\",\"y\",\"z\"]", summary.get("test").get("classes").toString(), "the training file's classes");
        long rows = 0;
        for (final JsonNode row : confusion)
        {
            for (final JsonNode count : row)
            {
                rows += count.asLong();
            }
        }
        assertEquals(20, rows, "evaluated on the test file's rows");
        assertEquals(0, confusion.get(0).get(0).asLong() + confusion.get(0).get(1).asLong() +
            confusion.get(0).get(2).asLong(), "the test file has no x rows");
        final MultiLayerNetwork saved = ModelSerializer.restoreMultiLayerNetwork(runDir.resolve("model.zip").toFile());
        assertEquals(3, saved.layerInputSize(0));
    }

    @Test
    void theGridExampleSearchesTheExampleNetwork()
    {
        final ExperimentJob job =
            ExperimentJob.fromSpec(SpecNode.load(Path.of("..", "examples", "dl4j", "grid.yaml")));
        assertEquals("dl4j", job.familyName());
    }

    @Test
    void aMissingConfigIsLookedForBesideTheSpec() throws Exception
    {
        final Path spec = spec("data: {source: iris}\nmodel: {family: dl4j, config: nets/none.json}\ncv: none\n");
        final SpecException ex = refused(spec);
        assertEquals("model.config", ex.path());
        assertTrue(ex.getMessage().contains(dir.resolve("specs/nets/none.json") + " does not exist"), ex.getMessage());
    }

    @Test
    void theNetworkMustFitTheData() throws Exception
    {
        network(dir.resolve("specs/net.json"), 4, 3);
        final SpecException ex = refused(spec("data: {source: csv, path: '" + csv("d.csv", 30, "x", "y") +
            "', label: kind}\nmodel: {family: dl4j, config: net.json}\n"));
        assertEquals("model.config", ex.path());
        assertTrue(ex.getMessage().contains("takes 4 inputs but the data has 3 features"), ex.getMessage());
    }

    @Test
    void cvNoneFitsOneSettingAndOneFoldIsRefused() throws Exception
    {
        final SpecException grid = refused(spec("data: {source: iris}\nmodel: {family: random_forest}\n" +
            "search: {strategy: grid, grid: {n_estimators: [2, 3]}}\ncv: {folds: 0}\n"));
        assertEquals("cv", grid.path());
        assertTrue(grid.getMessage().contains("the search has 2"), grid.getMessage());
        final SpecException one = refused(spec("data: {source: iris}\nmodel: {family: random_forest}\ncv: {folds: 1}\n"));
        assertEquals("cv.folds", one.path());
        assertTrue(one.getMessage().contains("cv: none"), one.getMessage());
    }

    @Test
    void aTestFileMustMatchTheTrainingFile() throws Exception
    {
        final Path train = csv("train.csv", 30, "x", "y");
        final String data = "data: {source: csv, path: '" + train + "', label: kind, test: '";
        final Path other = Files.writeString(dir.resolve("other.csv"), "a,b,d,kind\n1,2,3,x\n");
        final SpecException columns = refused(spec(data + other + "'}\nmodel: {family: random_forest}\n"));
        assertEquals("data.test", columns.path());
        assertTrue(columns.getMessage().contains("feature columns a, b, d but " + train + " has a, b, c"),
            columns.getMessage());
        final SpecException classes = refused(spec(data + csv("unseen.csv", 6, "x", "z") +
            "'}\nmodel: {family: random_forest}\n"));
        assertEquals("data.test", classes.path());
        assertTrue(classes.getMessage().contains("has class 'z', which " + train + " does not have (x, y)"),
            classes.getMessage());
        final SpecException split = refused(spec(data + csv("t.csv", 6, "x", "y") +
            "'}\nsplit: {test_fraction: 0.3}\nmodel: {family: random_forest}\n"));
        assertEquals("split", split.path());
    }
}
