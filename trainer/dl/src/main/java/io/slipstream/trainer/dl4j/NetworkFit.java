package io.slipstream.trainer.dl4j;

import io.slipstream.comm.Communicator;
import io.slipstream.kernels.ComputeThreads;
import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.data.ShardAssignment;
import io.slipstream.trainer.dp.DataParallelTrainer;
import io.slipstream.trainer.dp.ShardBatches;
import io.slipstream.trainer.dp.TrainingHooks;
import io.slipstream.trainer.dp.TrainingOptions;
import io.slipstream.trainer.dp.TrainingRun;
import io.slipstream.trainer.model.FitContext;
import io.slipstream.trainer.model.UserInputException;
import io.slipstream.trainer.dp.TrainableNetwork;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Locale;
import java.util.function.Function;

/**
 * Builds a feed-forward network for a DL4J family (or takes the one {@link #train} is given) and trains it
 * data-parallel over the fit's group:
 * every rank builds the same network from the fit seed, reads its shard of the training set through the
 * run's shard plan, and ends with the same parameters.
 */
final class NetworkFit
{
    private NetworkFit()
    {
    }

    static DeepModel fit(final String family, final NetworkParams p, final Dataset all, final FitContext context)
    {
        return train(family, p.batchSize(), p.epochs(), p.standardize(), all, context, (train) ->
        {
            final MultiLayerNetwork net = build(p, train.numFeatures(), train.numClasses(), context.seed());
            return new Network(net, new MultiLayerTrainable(net), tag(family, p, train));
        });
    }

    /** A network to train, its data-parallel adapter, and what its checkpoints belong to (see {@link TrainingRun}). */
    record Network(Model model, TrainableNetwork trainable, String tag)
    {
    }

    /**
     * Trains the network {@code build} makes for the labeled rows of {@code all}, {@code batchSize} rows per rank
     * and step (0: each rank's whole shard) for {@code epochs}, with the features standardised when
     * {@code standardize}; every rank of the fit's group ends with the same parameters.
     */
    static DeepModel train(final String family, final int batchSize, final int epochs, final boolean standardize,
        final Dataset all, final FitContext context, final Function<Dataset, Network> build)
    {
        // Unlabeled rows (a semi-supervised data set) carry no gradient.
        final Dataset train = all.labeledRows();
        try
        {
            NetworkParams.checkBatch(family, batchSize, train.size());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UserInputException(ex.getMessage(), ex);
        }
        if (train.size() < context.group().size())
        {
            throw new IllegalArgumentException(family + " needs at least one labeled row per rank: " + train.size() +
                " labeled rows for " + context.group().size() + " ranks");
        }
        final Communicator group = context.group();
        final TrainingHooks hooks = TrainingHooks.of(context.hooks());
        final TrainingOptions options = hooks.trainingOptions();
        if (options.threads() > 0)
        {
            ComputeThreads.apply(options.threads());
        }
        final Network net = build.apply(train);
        final NormalizerStandardize standardizer = standardize ? standardizer(train) : null;
        final ShardAssignment shards = hooks.shardAssignment(train, group.size(), context.seed());
        final ShardBatches batches = new ShardBatches(train, shards, group.rank(), batchSize, epochs, standardizer);
        final DataParallelTrainer trainer = new DataParallelTrainer(group, net.trainable(), options.exchange());
        final TrainingRun run = new TrainingRun(trainer, hooks, net.tag(), context.seed());
        final TrainingRun.Outcome outcome = run.run(batches);
        return new DeepModel(net.model(), standardizer, outcome == TrainingRun.Outcome.STOPPED);
    }

    /** What a checkpoint's arrays belong to: family, layer sizes, activation and updater. */
    static String tag(final String family, final NetworkParams p, final Dataset train)
    {
        final StringBuilder tag = new StringBuilder(family).append(' ').append(train.numFeatures());
        for (final int width : p.hiddenLayers())
        {
            tag.append('-').append(width);
        }
        return tag.append('-').append(train.numClasses()).append(' ').append(p.activation().name().toLowerCase(Locale.ROOT))
            .append(' ').append(p.updater()).toString();
    }

    static MultiLayerNetwork build(final NetworkParams p, final int features, final int classes, final long seed)
    {
        final NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
            .seed(seed)
            .dataType(DataType.FLOAT)
            .weightInit(WeightInit.XAVIER)
            .updater(p.updaterConfig())
            .l2(p.l2())
            .list();
        int in = features;
        for (final int width : p.hiddenLayers())
        {
            list.layer(new DenseLayer.Builder().nIn(in).nOut(width).activation(p.activation()).build());
            in = width;
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
            .nIn(in).nOut(classes).activation(Activation.SOFTMAX).build());
        final MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    private static NormalizerStandardize standardizer(final Dataset train)
    {
        final INDArray x = DeepModel.features(train);
        final NormalizerStandardize standardizer = new NormalizerStandardize();
        standardizer.fit(new DataSet(x, Nd4j.zeros(DataType.FLOAT, train.size(), 1)));
        return standardizer;
    }
}
