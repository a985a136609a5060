package io.slipstream.trainer.dl4j;

import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.data.Iris;
import io.slipstream.trainer.model.DataShape;
import io.slipstream.trainer.model.FitContext;
import io.slipstream.trainer.model.ModelFamily;
import io.slipstream.trainer.model.ModelFileException;
import io.slipstream.trainer.model.RunHooks;
import io.slipstream.trainer.model.UserInputException;
import io.slipstream.trainer.testing.Ranks;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code dl4j} family: what it refuses (one line naming the file, the key and the fix) and what it trains. */
class Dl4jFamilyTest
{
    private static final Dataset IRIS = Iris.load();
    private static final DataShape SHAPE = DataShape.of(IRIS);

    @TempDir
    Path dir;

    private static MultiLayerConfiguration layers(final int in, final int out, final DataType type)
    {
        return new NeuralNetConfiguration.Builder().seed(3).dataType(type).updater(new Adam(0.01)).list()
            .layer(new DenseLayer.Builder().nIn(in).nOut(8).activation(Activation.RELU).dropOut(0.8).build())
            .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(out)
                .activation(Activation.SOFTMAX).build())
            .build();
    }

    private static ComputationGraphConfiguration graph()
    {
        return new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.FLOAT).updater(new Adam(0.02))
            .graphBuilder().addInputs("in")
            .addLayer("dense", new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.TANH).build(), "in")
            .addLayer("drop", new DropoutLayer.Builder(0.7).build(), "dense")
            .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3)
                .activation(Activation.SOFTMAX).build(), "drop")
            .setOutputs("out").build();
    }

    private Path write(final String name, final String text) throws IOException
    {
        return Files.writeString(dir.resolve(name), text);
    }

    private static ModelFileException refused(final Map<String, Path> files)
    {
        return assertThrows(ModelFileException.class, () -> new Dl4jFamily().configure(files, SHAPE));
    }

    private static void assertNames(final ModelFileException ex, final String key, final String... parts)
    {
        assertEquals(key, ex.key(), ex.getMessage());
        assertFalse(ex.getMessage().contains("\n"), "one line: " + ex.getMessage());
        for (final String part : parts)
        {
            assertTrue(ex.getMessage().contains(part), "'" + part + "' in: " + ex.getMessage());
        }
    }

    @Test
    void aConfigThatIsMissingADirectoryOrTooLargeIsRefusedNamingTheFile() throws IOException
    {
        final Path missing = dir.resolve("nope.json");
        assertNames(refused(Map.of("config", missing)), "config", missing.toString(), "does not exist");
        assertNames(refused(Map.of("config", dir)), "config", dir.toString(), "not a regular file");
        final Path large = dir.resolve("large.json");
        try (RandomAccessFile file = new RandomAccessFile(large.toFile(), "rw"))
        {
            file.setLength(NetworkSource.MAX_CONFIG_BYTES + 1);
        }
        assertNames(refused(Map.of("config", large)), "config", large.toString(), "more than the");
    }

    @Test
    void jsonThatIsNotADl4jConfigurationIsRefusedNamingTheFile() throws IOException
    {
        final Path text = write("text.json", "layers: [dense]\n");
        assertNames(refused(Map.of("config", text)), "config", text.toString(), "is not JSON at line 1");
        final Path keras = write("keras.json", "{\"class_name\": \"Sequential\", \"config\": {}}");
        assertNames(refused(Map.of("config", keras)), "config", keras.toString(), "neither 'confs' nor 'vertices'");
        final Path broken = write("broken.json", "{\"confs\": [{\"layer\": {\"@class\": \"no.such.Layer\"}}]}");
        assertNames(refused(Map.of("config", broken)), "config", broken.toString(),
            "not a valid DL4J MultiLayerConfiguration", "MultiLayerConfiguration.toJson()");
    }

    @Test
    void aNetworkOfTheWrongInputOrOutputSizeIsRefusedWithBothNumbers() throws IOException
    {
        final Path wide = write("wide.json", layers(5, 3, DataType.FLOAT).toJson());
        assertNames(refused(Map.of("config", wide)), "config", wide.toString(), "takes 5 inputs",
            "the data has 4 features", "nIn to 4");
        final Path binary = write("binary.json", layers(4, 2, DataType.FLOAT).toJson());
        assertNames(refused(Map.of("config", binary)), "config", binary.toString(), "has 2 outputs",
            "the data has 3 classes", "nOut to 3");
        final Path doubles = write("doubles.json", layers(4, 3, DataType.DOUBLE).toJson());
        assertNames(refused(Map.of("config", doubles)), "config", "DOUBLE", "DataType.FLOAT");
    }

    @Test
    void aNetworkWithoutAnOutputLayerIsRefused() throws IOException
    {
        final MultiLayerConfiguration noLoss = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list()
            .layer(new DenseLayer.Builder().nIn(4).nOut(3).build()).build();
        final Path file = write("noloss.json", noLoss.toJson());
        assertNames(refused(Map.of("config", file)), "config", "no loss", "OutputLayer");
    }

    @Test
    void configAndInitTogetherOrNeitherAreRefused() throws IOException
    {
        final Path config = write("net.json", layers(4, 3, DataType.FLOAT).toJson());
        assertNames(refused(Map.of("config", config, "init", config)), "init", "not both");
        assertNames(refused(Map.of()), "config", "is missing", "init: model.zip");
        final IllegalArgumentException unconfigured = assertThrows(IllegalArgumentException.class,
            () -> new Dl4jFamily().parameters(Map.of(), SHAPE));
        assertTrue(unconfigured.getMessage().contains("model.config"), unconfigured.getMessage());
    }

    @Test
    void theFingerprintFollowsTheFilesContent() throws IOException
    {
        final Path net = write("net.json", layers(4, 3, DataType.FLOAT).toJson());
        final long first = new Dl4jFamily().configure(Map.of("config", net), SHAPE).fingerprint();
        assertEquals(first, new Dl4jFamily().configure(Map.of("config", net), SHAPE).fingerprint());
        Files.writeString(net, layers(4, 3, DataType.FLOAT).toJson().replace("\"seed\" : 3", "\"seed\" : 4"));
        assertNotEquals(first, new Dl4jFamily().configure(Map.of("config", net), SHAPE).fingerprint());
        assertEquals(0, new Dl4jFamily().fingerprint(), "nothing read yet");
    }

    @Test
    void anInitThatIsNotASavedNetworkIsRefused() throws IOException
    {
        final Path csv = write("rows.csv", "a,b\n1,2\n");
        assertNames(refused(Map.of("init", csv)), "init", csv.toString(), "ModelSerializer");
    }

    @Test
    void paramsAreCheckedOnce() throws IOException
    {
        final ModelFamily<Dl4jParams> family =
            new Dl4jFamily().configure(Map.of("config", write("net.json", layers(4, 3, DataType.FLOAT).toJson())), SHAPE);
        final IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
            () -> family.parameters(Map.of("hidden_layers", List.of(8)), SHAPE));
        assertTrue(unknown.getMessage().contains("dl4j has no parameter 'hidden_layers'"), unknown.getMessage());
        final IllegalArgumentException updater = assertThrows(IllegalArgumentException.class,
            () -> family.parameters(Map.of("updater", "rmsprop"), SHAPE));
        assertTrue(updater.getMessage().contains("adam, sgd, nesterovs"), updater.getMessage());
        final IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
            () -> family.parameters(Map.of("batch_size", 151), SHAPE));
        assertTrue(batch.getMessage().contains("exceeds the 150 training rows"), batch.getMessage());
        assertEquals(new Dl4jParams(3, 0, 0.5, "sgd", 9L, true), family.parameters(Map.of("epochs", 3,
            "batch_size", 0, "learning_rate", 0.5, "updater", "sgd", "seed", 9, "standardize", true), SHAPE));
    }

    @Test
    void overridesReachTheNetworkItBuilds() throws IOException
    {
        final NetworkSource source = NetworkSource.config(write("net.json", layers(4, 3, DataType.FLOAT).toJson()));
        final MultiLayerNetwork plain = (MultiLayerNetwork)source.build(Dl4jParams.DEFAULT);
        final MultiLayerNetwork again = (MultiLayerNetwork)source.build(Dl4jParams.DEFAULT);
        assertEquals(plain.params(), again.params(), "the configuration's seed: the same weights each build");
        final MultiLayerNetwork reseeded = (MultiLayerNetwork)source.build(new Dl4jParams(1, 8, null, null, 11L, false));
        assertNotEquals(plain.params(), reseeded.params(), "seed: other weights");
        final MultiLayerNetwork sgd = (MultiLayerNetwork)source.build(new Dl4jParams(1, 8, 0.3, "sgd", null, false));
        final BaseLayer first = (BaseLayer)sgd.getLayerWiseConfigurations().getConf(0).getLayer();
        assertInstanceOf(Sgd.class, first.getIUpdater());
        assertEquals(0.3, first.getIUpdater().getLearningRate(0, 0), 1e-12);
        final MultiLayerNetwork slower = (MultiLayerNetwork)source.build(new Dl4jParams(1, 8, 0.001, null, null, false));
        final BaseLayer adam = (BaseLayer)slower.getLayerWiseConfigurations().getConf(1).getLayer();
        assertInstanceOf(Adam.class, adam.getIUpdater());
        assertEquals(0.001, adam.getIUpdater().getLearningRate(0, 0), 1e-12);
    }

    @Test
    void aGraphWithDropoutTrainsToEqualParametersOnTwoRanks() throws IOException
    {
        final ModelFamily<Dl4jParams> family =
            new Dl4jFamily().configure(Map.of("config", write("graph.json", graph().toJson())), SHAPE);
        final Dl4jParams p = family.parameters(Map.of("epochs", 3, "batch_size", 8, "standardize", true), SHAPE);
        final List<String> digests = Ranks.run(2, (comm) ->
        {
            final DeepModel model = (DeepModel)family.fit(IRIS, p, new FitContext(comm, 4, RunHooks.NONE));
            assertInstanceOf(ComputationGraph.class, model.network());
            return Dl4jFamily.parameterDigest(model.network().params());
        });
        assertEquals(digests.get(0), digests.get(1), "both ranks end with the same parameters");
    }

    @Test
    void batchNormalisationIsRefusedOnMoreThanOneRankOnly() throws IOException
    {
        final MultiLayerConfiguration normalised = new NeuralNetConfiguration.Builder().seed(1)
            .dataType(DataType.FLOAT).updater(new Adam(0.01)).list()
            .layer(new DenseLayer.Builder().nIn(4).nOut(6).build())
            .layer(new BatchNormalization.Builder().nOut(6).build())
            .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(6).nOut(3)
                .activation(Activation.SOFTMAX).build())
            .build();
        final ModelFamily<Dl4jParams> family =
            new Dl4jFamily().configure(Map.of("config", write("bn.json", normalised.toJson())), SHAPE);
        final Dl4jParams p = family.parameters(Map.of("epochs", 1), SHAPE);
        assertInstanceOf(DeepModel.class, family.fit(IRIS, p, new FitContext(Ranks.solo(), 2, RunHooks.NONE)));
        final List<String> refusals = Ranks.run(2, (comm) ->
            assertThrows(UserInputException.class, () -> family.fit(IRIS, p, new FitContext(comm, 2, RunHooks.NONE)))
                .getMessage());
        assertTrue(refusals.get(0).contains("bn.json has batch normalisation"), refusals.get(0));
        assertEquals(refusals.get(0), refusals.get(1), "every rank refuses alike");
    }

    @Test
    void aSavedNetworkIsTrainedFurtherFromItsWeights() throws IOException
    {
        final MultiLayerNetwork saved = new MultiLayerNetwork(layers(4, 3, DataType.FLOAT));
        saved.init();
        final Path zip = dir.resolve("model.zip");
        ModelSerializer.writeModel(saved, zip.toFile(), true);
        final ModelFamily<Dl4jParams> family = new Dl4jFamily().configure(Map.of("init", zip), SHAPE);
        final IllegalArgumentException seed = assertThrows(IllegalArgumentException.class,
            () -> family.parameters(Map.of("seed", 1), SHAPE));
        assertTrue(seed.getMessage().contains("dl4j.seed") && seed.getMessage().contains("model.init"),
            seed.getMessage());
        final Dl4jParams p = family.parameters(Map.of("epochs", 1, "batch_size", 150, "learning_rate", 1e-4), SHAPE);
        final DeepModel model = (DeepModel)family.fit(IRIS, p, new FitContext(Ranks.solo(), 4, RunHooks.NONE));
        // One full-batch Adam step of 1e-4: the saved weights, moved by about 1e-4 each.
        assertTrue(model.network().params().equalsWithEps(saved.params(), 1e-3), "starts from the saved weights");
        assertNotEquals(saved.params(), model.network().params(), "and trains them");
    }
}
