package io.slipstream.trainer.dp;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Random;

/** Small networks and synthetic data for the trainer's tests. */
final class Networks
{
    static final int FEATURES = 5;
    static final int CLASSES = 3;

    private Networks()
    {
    }

    static IUpdater updater(final String name)
    {
        return "adam".equals(name) ? new Adam(0.01) : new Sgd(0.1);
    }

    static MultiLayerNetwork mlp(final String updater, final long seed)
    {
        final MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
            .seed(seed)
            .dataType(DataType.FLOAT)
            .updater(updater(updater))
            .l2(1e-4)
            .list()
            .layer(new DenseLayer.Builder().nIn(FEATURES).nOut(8).activation(Activation.TANH).build())
            .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(8).nOut(CLASSES).activation(Activation.SOFTMAX).build())
            .build();
        final MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static ComputationGraph graph(final String updater, final long seed)
    {
        final ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
            .seed(seed)
            .dataType(DataType.FLOAT)
            .updater(updater(updater))
            .graphBuilder()
            .addInputs("in")
            .addLayer("hidden", new DenseLayer.Builder().nIn(FEATURES).nOut(8).activation(Activation.RELU).build(), "in")
            .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(8).nOut(CLASSES).activation(Activation.SOFTMAX).build(), "hidden")
            .setOutputs("out")
            .build();
        final ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** {@code rows} samples of a separable-ish 3-class problem, deterministic in {@code seed}. */
    static DataSet data(final int rows, final long seed)
    {
        final Random random = new Random(seed);
        final float[][] x = new float[rows][FEATURES];
        final float[][] y = new float[rows][CLASSES];
        for (int i = 0; i < rows; i++)
        {
            final int label = random.nextInt(CLASSES);
            for (int f = 0; f < FEATURES; f++)
            {
                x[i][f] = (float)(random.nextGaussian() + (f % CLASSES == label ? 1.5 : 0.0));
            }
            y[i][label] = 1;
        }
        return new DataSet(Nd4j.create(x), Nd4j.create(y));
    }

    static DataSet rows(final DataSet all, final int from, final int to)
    {
        return new DataSet(
            all.getFeatures().get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup(),
            all.getLabels().get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup());
    }

    static double relativeDifference(final INDArray actual, final INDArray expected)
    {
        return actual.sub(expected).norm2Number().doubleValue() / expected.norm2Number().doubleValue();
    }
}
