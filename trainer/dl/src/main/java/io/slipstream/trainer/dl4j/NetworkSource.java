package io.slipstream.trainer.dl4j;

import io.slipstream.trainer.data.DataException;
import io.slipstream.trainer.data.InputFile;
import io.slipstream.trainer.model.DataShape;
import io.slipstream.trainer.model.ModelFileException;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Where the {@code dl4j} family's network comes from: a configuration file as DL4J's {@code toJson()} writes it
 * ({@code MultiLayerConfiguration} or {@code ComputationGraphConfiguration}, told apart by their top-level keys), or
 * a network {@code ModelSerializer} saved (its weights and updater state, to fine-tune). The file is read once, when
 * the spec is read; {@link #build} makes a fresh network from it for every fit, with a setting's overrides applied.
 */
final class NetworkSource
{
    /** Far more than any network configuration; a bigger file is the wrong file. */
    static final long MAX_CONFIG_BYTES = 16L << 20;
    /** The most a saved network may be: its parameters are read into one Java array. */
    static final long MAX_SAVED_BYTES = 1L << 30;
    static final String CONFIG = "config";
    static final String INIT = "init";

    private final String key;
    private final Path file;
    private final String json;
    private final byte[] saved;
    private final boolean graph;
    private final byte[] digest;
    private long parameters;

    private NetworkSource(final String key, final Path file, final String json, final byte[] saved,
        final boolean graph, final byte[] content)
    {
        this.key = key;
        this.file = file;
        this.json = json;
        this.saved = saved;
        this.graph = graph;
        this.digest = digest(content);
    }

    /** A configuration JSON file, parsed once here so a bad one is refused now. */
    static NetworkSource config(final Path file)
    {
        final String json;
        try
        {
            json = InputFile.readText(file, "DL4J configuration", MAX_CONFIG_BYTES);
        }
        catch (final DataException ex)
        {
            throw new ModelFileException(CONFIG, ex.getMessage(), ex);
        }
        final boolean graph = isGraph(CONFIG, file, json, "");
        final NetworkSource source =
            new NetworkSource(CONFIG, file, json, null, graph, json.getBytes(StandardCharsets.UTF_8));
        try
        {
            if (graph)
            {
                ComputationGraphConfiguration.fromJson(json);
            }
            else
            {
                MultiLayerConfiguration.fromJson(json);
            }
        }
        catch (final RuntimeException ex)
        {
            throw new ModelFileException(CONFIG, file + " is not a valid DL4J " + source.kind() + ": " +
                firstLine(ex) + "; write it with " + source.kind() + ".toJson()", ex);
        }
        return source;
    }

    /** A network saved with {@code ModelSerializer.writeModel}, read into memory once. */
    static NetworkSource init(final Path file)
    {
        final byte[] bytes;
        try
        {
            final long size = InputFile.check(file, "saved network", 4.0);
            if (size > MAX_SAVED_BYTES)
            {
                throw new ModelFileException(INIT, "saved network " + file + " is " + size + " bytes, more than the " +
                    MAX_SAVED_BYTES + " a saved network may have: is it the right file?");
            }
            bytes = Files.readAllBytes(file);
        }
        catch (final DataException ex)
        {
            throw new ModelFileException(INIT, ex.getMessage(), ex);
        }
        catch (final IOException ex)
        {
            throw new ModelFileException(INIT, "cannot read saved network " + file + ": " + ex.getMessage(), ex);
        }
        final String configuration = savedConfiguration(file, bytes);
        final boolean graph = isGraph(INIT, file, configuration, " inside");
        final NetworkSource source = new NetworkSource(INIT, file, null, bytes, graph, bytes);
        source.restore();
        return source;
    }

    /**
     * Checks that the network suits data of {@code shape}: float32 (what the ranks exchange), one input and one
     * output, an output layer with a loss, rows of {@code shape.features()} values in and {@code shape.classes()}
     * class scores out.
     */
    void check(final DataShape shape)
    {
        final Model net = build(Dl4jParams.DEFAULT);
        parameters = net.numParams();
        if (net.params().dataType() != DataType.FLOAT)
        {
            throw new ModelFileException(key, file + " builds a " + net.params().dataType() + " network; the ranks " +
                "exchange float32 gradients: build it with .dataType(DataType.FLOAT)");
        }
        final org.deeplearning4j.nn.api.Layer output;
        final long inputWidth;
        if (net instanceof ComputationGraph g)
        {
            if (g.getNumInputArrays() != 1 || g.getNumOutputArrays() != 1)
            {
                throw new ModelFileException(key, file + " is a graph with " + g.getNumInputArrays() + " inputs and " +
                    g.getNumOutputArrays() + " outputs; a job spec's rows feed one input and one output");
            }
            output = g.getOutputLayer(0);
            inputWidth = inputWidth(g.getConfiguration());
        }
        else
        {
            final MultiLayerNetwork layers = (MultiLayerNetwork)net;
            output = layers.getOutputLayer();
            final MultiLayerConfiguration conf = layers.getLayerWiseConfigurations();
            inputWidth = inputWidth(conf.getInputPreProcess(0), conf.getConf(0).getLayer());
        }
        if (!(output instanceof IOutputLayer))
        {
            throw new ModelFileException(key, file + " ends with a " + output.getClass().getSimpleName() + ", which " +
                "has no loss to train; end the network with an OutputLayer (softmax, loss MCXENT) of " +
                shape.classes() + " outputs");
        }
        if (inputWidth >= 0 && inputWidth != shape.features())
        {
            throw new ModelFileException(key, file + "'s first layer takes " + inputWidth + " inputs but the data " +
                "has " + shape.features() + " features; set its nIn to " + shape.features() + " (or use data with " +
                inputWidth + " features)");
        }
        final INDArray scores;
        try
        {
            scores = forward(net, Nd4j.zeros(DataType.FLOAT, 1, Math.max(1, shape.features())));
        }
        catch (final RuntimeException ex)
        {
            throw new ModelFileException(key, file + " does not take rows of " + shape.features() + " features: " +
                firstLine(ex) + "; give the first layer nIn " + shape.features() +
                " or setInputType(InputType.feedForward(" + shape.features() + "))", ex);
        }
        if (scores.rank() != 2)
        {
            throw new ModelFileException(key, file + " gives an output of shape " + Arrays.toString(scores.shape()) +
                " per row, not one score per class; end the network with an OutputLayer of " + shape.classes() +
                " outputs");
        }
        if (scores.size(1) != shape.classes())
        {
            throw new ModelFileException(key, file + "'s output layer has " + scores.size(1) + " outputs but the " +
                "data has " + shape.classes() + " classes; set the output layer's nOut to " + shape.classes());
        }
    }

    /** A fresh network from the file with {@code p}'s overrides, initialised (or restored). */
    Model build(final Dl4jParams p)
    {
        if (saved != null)
        {
            final Model net = restore();
            final List<NeuralNetConfiguration> confs = net instanceof ComputationGraph g ?
                layerConfs(g.getConfiguration()) : ((MultiLayerNetwork)net).getLayerWiseConfigurations().getConfs();
            // The updaters already hold these objects: a new learning rate takes effect in place, state kept.
            override(confs, p);
            return net;
        }
        if (graph)
        {
            final ComputationGraphConfiguration conf = ComputationGraphConfiguration.fromJson(json);
            if (p.seed() != null)
            {
                conf.getDefaultConfiguration().setSeed(p.seed());
            }
            override(layerConfs(conf), p);
            final ComputationGraph net = new ComputationGraph(conf);
            net.init();
            return net;
        }
        final MultiLayerConfiguration conf = MultiLayerConfiguration.fromJson(json);
        override(conf.getConfs(), p);
        final MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** The file the network comes from. */
    Path file()
    {
        return file;
    }

    /** True for a saved network ({@code init}), whose updater and weights are given. */
    boolean saved()
    {
        return saved != null;
    }

    /** Parameters of the network, known after {@link #check}. */
    long parameters()
    {
        return parameters;
    }

    /** What the network's checkpoints belong to: the file's content, its kind and the overrides. */
    String tag(final Dl4jParams p)
    {
        return "dl4j " + key + " " + HexFormat.of().formatHex(digest, 0, 6) + " " + (graph ? "graph" : "layers") + p.overrides();
    }

    /** The first 8 bytes of the file's SHA-256. */
    long fingerprint()
    {
        return ByteBuffer.wrap(digest).getLong();
    }

    private String kind()
    {
        return graph ? "ComputationGraphConfiguration" : "MultiLayerConfiguration";
    }

    private Model restore()
    {
        try
        {
            final ByteArrayInputStream in = new ByteArrayInputStream(saved);
            return graph ? ModelSerializer.restoreComputationGraph(in, true) :
                ModelSerializer.restoreMultiLayerNetwork(in, true);
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new ModelFileException(INIT, "saved network " + file + " cannot be restored: " + firstLine(ex) +
                "; save it with ModelSerializer.writeModel(net, file, true)", ex);
        }
    }

    private static void override(final List<NeuralNetConfiguration> confs, final Dl4jParams p)
    {
        for (final NeuralNetConfiguration conf : confs)
        {
            if (p.seed() != null)
            {
                conf.setSeed(p.seed());
            }
            final Layer layer = conf.getLayer();
            if (layer instanceof BaseLayer base)
            {
                base.setIUpdater(updater(base.getIUpdater(), p));
                base.setBiasUpdater(updater(base.getBiasUpdater(), p));
            }
        }
    }

    /** {@code current} with {@code p}'s updater and learning rate; {@code current} itself, changed in place, when
     * only the learning rate changes. */
    private static IUpdater updater(final IUpdater current, final Dl4jParams p)
    {
        if (current == null)
        {
            return null;
        }
        if (p.updater() != null)
        {
            final double rate = p.learningRate() != null ? p.learningRate() :
                current.hasLearningRate() ? current.getLearningRate(0, 0) : 1e-3;
            return NetworkParams.updater(p.updater(), rate);
        }
        if (p.learningRate() != null && current.hasLearningRate())
        {
            current.setLrAndSchedule(p.learningRate(), null);
        }
        return current;
    }

    private static List<NeuralNetConfiguration> layerConfs(final ComputationGraphConfiguration conf)
    {
        final List<NeuralNetConfiguration> confs = new ArrayList<>();
        for (final GraphVertex vertex : conf.getVertices().values())
        {
            if (vertex instanceof LayerVertex layer)
            {
                confs.add(layer.getLayerConf());
            }
        }
        return confs;
    }

    /** The width of the rows the graph's first layers take, or -1 when it cannot be told from the configuration. */
    private static long inputWidth(final ComputationGraphConfiguration conf)
    {
        final String input = conf.getNetworkInputs().get(0);
        for (final Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet())
        {
            if (e.getValue().contains(input) && conf.getVertices().get(e.getKey()) instanceof LayerVertex layer)
            {
                return inputWidth(layer.getPreProcessor(), layer.getLayerConf().getLayer());
            }
        }
        return -1;
    }

    private static long inputWidth(final InputPreProcessor pre, final Layer layer)
    {
        if (pre instanceof FeedForwardToCnnPreProcessor image)
        {
            return image.getInputHeight() * image.getInputWidth() * image.getNumChannels();
        }
        if (pre == null && (layer instanceof DenseLayer || layer instanceof BaseOutputLayer))
        {
            return ((FeedForwardLayer)layer).getNIn();
        }
        return -1;
    }

    static INDArray forward(final Model net, final INDArray x)
    {
        return net instanceof MultiLayerNetwork layers ? layers.output(x, false) :
            ((ComputationGraph)net).outputSingle(false, x);
    }

    /** True for a graph configuration, false for a layer list; anything else is refused naming the file. */
    private static boolean isGraph(final String key, final Path file, final String json, final String where)
    {
        final JsonNode root;
        try
        {
            root = new ObjectMapper().readTree(json);
        }
        catch (final JsonProcessingException ex)
        {
            final String at = ex.getLocation() == null ? "" : " at line " + ex.getLocation().getLineNr();
            throw new ModelFileException(key, "the configuration" + where + " " + file + " is not JSON" + at + ": " +
                line(ex.getOriginalMessage()) + "; give the JSON DL4J's toJson() writes", ex);
        }
        if (root != null && root.isObject() && root.has("vertices") && root.has("networkInputs"))
        {
            return true;
        }
        if (root != null && root.isObject() && root.has("confs"))
        {
            return false;
        }
        throw new ModelFileException(key, "the JSON" + where + " " + file + " is not a DL4J network configuration " +
            "(it has neither 'confs' nor 'vertices'); give what MultiLayerConfiguration.toJson() or " +
            "ComputationGraphConfiguration.toJson() writes");
    }

    /** The configuration JSON inside a ModelSerializer zip. */
    private static String savedConfiguration(final Path file, final byte[] zip)
    {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip)))
        {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry())
            {
                if (entry.getName().equals(ModelSerializer.CONFIGURATION_JSON))
                {
                    return new String(in.readNBytes((int)MAX_CONFIG_BYTES), StandardCharsets.UTF_8);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new ModelFileException(INIT, "saved network " + file + " is not a readable zip: " + ex.getMessage() +
                "; give a file ModelSerializer.writeModel wrote", ex);
        }
        throw new ModelFileException(INIT, "saved network " + file + " has no " + ModelSerializer.CONFIGURATION_JSON +
            ": it is not a DL4J ModelSerializer zip; save the network with ModelSerializer.writeModel");
    }

    private static String firstLine(final Throwable ex)
    {
        Throwable t = ex;
        while (t.getMessage() == null && t.getCause() != null)
        {
            t = t.getCause();
        }
        return line(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
    }

    private static byte[] digest(final byte[] content)
    {
        try
        {
            return MessageDigest.getInstance("SHA-256").digest(content);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("this JVM has no SHA-256", ex);
        }
    }

    /** Messages from DL4J and Jackson span lines; an error line keeps the first. */
    private static String line(final String message)
    {
        final String text = message == null ? "" : message.strip();
        final int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end).strip();
    }
}
