package io.slipstream.trainer.dl4j;

import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.dp.TrainableNetwork;
import io.slipstream.trainer.model.ClassifierFamily;
import io.slipstream.trainer.model.ConfiguredFamily;
import io.slipstream.trainer.model.DataShape;
import io.slipstream.trainer.model.FitContext;
import io.slipstream.trainer.model.ModelFileException;
import io.slipstream.trainer.model.UserInputException;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * {@code dl4j}: the user's own DL4J network, any layers DL4J has, trained data-parallel across the fit's group like
 * {@code mlp} (every rank ends each step with the same parameters). The {@code model} section names where it comes
 * from: {@code config} (a {@code MultiLayerConfiguration} or {@code ComputationGraphConfiguration} as DL4J's
 * {@code toJson()} writes it, built afresh for every fit) or {@code init} (a network {@code ModelSerializer} saved,
 * trained further from its weights and updater state). The network must take rows of the data's features, end with
 * an output layer of one score per class, and be float32; {@link Dl4jParams} overrides its epochs, batch size,
 * learning rate, updater and seed. The trained network is saved as DL4J's own {@code model.zip}. A standardiser saved
 * with an {@code init} network is not used: {@code standardize: true} fits one to the training rows.
 *
 * <p>Each rank's dropout masks are its own, so on N ranks the ranks agree exactly with each other but not with one
 * process fitting the global batch (the Java API's {@code DataParallelNetwork} draws them over the global batch).
 * A network with batch normalisation is refused on more than one rank: its running mean and variance would move N
 * times too far when the ranks' updates are summed (the Java API weighs them).
 */
public final class Dl4jFamily implements ClassifierFamily<Dl4jParams>, ConfiguredFamily<Dl4jParams>
{
    public static final String NAME = "dl4j";
    private static final Logger LOG = Logger.getLogger(Dl4jFamily.class.getName());

    private final NetworkSource source;

    /** The family as the registry finds it, before {@link #configure} gives it a network. */
    public Dl4jFamily()
    {
        this(null);
    }

    private Dl4jFamily(final NetworkSource source)
    {
        this.source = source;
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public Set<String> fileKeys()
    {
        return Set.of(NetworkSource.CONFIG, NetworkSource.INIT);
    }

    @Override
    public Dl4jFamily configure(final Map<String, Path> files, final DataShape shape)
    {
        final Path config = files.get(NetworkSource.CONFIG);
        final Path init = files.get(NetworkSource.INIT);
        if (config != null && init != null)
        {
            throw new ModelFileException(NetworkSource.INIT, "give config (a network to build) or init (a saved " +
                "network to train further), not both");
        }
        if (config == null && init == null)
        {
            throw new ModelFileException(NetworkSource.CONFIG, "is missing; give a DL4J configuration JSON " +
                "(config: net.json) or a saved network (init: model.zip)");
        }
        final NetworkSource network = config != null ? NetworkSource.config(config) : NetworkSource.init(init);
        network.check(shape);
        return new Dl4jFamily(network);
    }

    @Override
    public long fingerprint()
    {
        return source == null ? 0 : source.fingerprint();
    }

    @Override
    public Dl4jParams parameters(final Map<String, Object> setting, final DataShape shape)
    {
        if (source == null)
        {
            throw new IllegalArgumentException(NAME + " trains the network its model section names: give " +
                "model.config (a DL4J configuration JSON) or model.init (a saved network)");
        }
        final Dl4jParams p = Dl4jParams.from(NAME, setting);
        if (source.saved() && (p.updater() != null || p.seed() != null))
        {
            throw new IllegalArgumentException(NAME + "." + (p.updater() != null ? "updater" : "seed") + " changes " +
                "how a network is built, but model.init trains a saved network further with its own weights and " +
                "updater; leave it out, or build the network from model.config");
        }
        NetworkParams.checkBatch(NAME, p.batchSize(), shape.rows());
        return p;
    }

    /**
     * Trains a fresh network; every rank then logs the digest of the parameters it ends with
     * ({@link #parameterDigest}), so a user sees that the ranks agree.
     */
    @Override
    public DeepModel fit(final Dataset train, final Dl4jParams p, final FitContext context)
    {
        final DeepModel model = NetworkFit.train(NAME, p.batchSize(), p.epochs(), p.standardize(), train, context,
            (rows) ->
            {
                final Model net = source.build(p);
                if (context.group().size() > 1 && batchNormalised(net))
                {
                    throw new UserInputException(NAME + ": " + source.file() + " has batch normalisation, whose " +
                        "running statistics a job spec's data-parallel fit does not average over ranks; train it on " +
                        "one rank per fit (execution.mode: parallel, or -n 1), or with the Java API's " +
                        "DataParallelNetwork");
                }
                final TrainableNetwork trainable = net instanceof ComputationGraph graph ?
                    new GraphTrainable(graph) : new MultiLayerTrainable((MultiLayerNetwork)net);
                return new NetworkFit.Network(net, trainable, source.tag(p));
            });
        LOG.info(NAME + " fit " + Long.toHexString(context.seed()) + ": rank " + context.group().rank() + " of " +
            context.group().size() + " ends with parameters sha256 " + parameterDigest(model.network().params()));
        return model;
    }

    private static boolean batchNormalised(final Model net)
    {
        final org.deeplearning4j.nn.api.Layer[] layers = net instanceof ComputationGraph graph ? graph.getLayers() :
            ((MultiLayerNetwork)net).getLayers();
        for (final org.deeplearning4j.nn.api.Layer layer : layers)
        {
            if (layer instanceof BatchNormalization)
            {
                return true;
            }
        }
        return false;
    }

    /** SHA-256 (hex) of {@code params} as float32 values, big-endian, in their flattened order. */
    public static String parameterDigest(final INDArray params)
    {
        final float[] values = params.toFloatVector();
        final ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES);
        bytes.asFloatBuffer().put(values);
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("this JVM has no SHA-256", ex);
        }
    }

    /** Multiply-adds of the epochs, counted as parameters times rows (a forward and backward pass per row). */
    @Override
    public double cost(final Dl4jParams p, final DataShape shape)
    {
        return (double)Math.max(1, source == null ? 0 : source.parameters()) * Math.max(1, shape.rows()) * p.epochs();
    }
}
