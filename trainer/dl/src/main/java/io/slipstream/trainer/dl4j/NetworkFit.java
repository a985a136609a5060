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

/**
 * Builds a feed-forward network for a DL4J family and trains it data-parallel over the fit's group:
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
        // Unlabeled rows (a semi-supervised data set) carry no gradient.
        final Dataset train = all.labeledRows();
        try
        {
            p.checkBatch(family, train.size());
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
        final MultiLayerNetwork net = build(p, train.numFeatures(), train.numClasses(), context.seed());
        final NormalizerStandardize standardizer = p.standardize() ? standardizer(train) : null;
        final ShardAssignment shards = hooks.shardAssignment(train, group.size(), context.seed());
        final int perRankBatch = p.batchSize();
        final ShardBatches batches =
            new ShardBatches(train, shards, group.rank(), perRankBatch, p.epochs(), standardizer);
        final DataParallelTrainer trainer = new DataParallelTrainer(group, new MultiLayerTrainable(net), options.exchange());
        final TrainingRun run = new TrainingRun(trainer, hooks, tag(family, p, train), context.seed());
        final TrainingRun.Outcome outcome = run.run(batches);
        return new DeepModel(net, standardizer, outcome == TrainingRun.Outcome.STOPPED);
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
