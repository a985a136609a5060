package io.slipstream.api;

import io.slipstream.comm.ThreadRanks;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.evaluation.classification.Evaluation;
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

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(300)
class DataParallelNetworkTest
{
    private static final int SIDE = 6;
    private static final int CLASSES = 3;
    private static final int BATCH = 5;
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path runDir;

    /** Dense layers with dropout between them. */
    private static MultiLayerNetwork dropoutMlp(final long seed)
    {
        final MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
            .seed(seed).dataType(DataType.FLOAT).updater(new Adam(0.01))
            .list()
            .layer(new DenseLayer.Builder().nIn(SIDE * SIDE).nOut(16).activation(Activation.RELU).build())
            .layer(new DropoutLayer.Builder(0.6).build())
            .layer(new DenseLayer.Builder().nOut(12).activation(Activation.TANH).dropOut(0.7).build())
            .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                .activation(Activation.SOFTMAX).build())
            .setInputType(InputType.feedForward(SIDE * SIDE))
            .build();
        final MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** A dense network without dropout. */
    private static MultiLayerNetwork plain(final long seed, final IUpdater updater)
    {
        final MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
            .seed(seed).dataType(DataType.FLOAT).updater(updater)
            .list()
            .layer(new DenseLayer.Builder().nIn(SIDE * SIDE).nOut(16).activation(Activation.RELU).build())
            .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                .activation(Activation.SOFTMAX).build())
            .setInputType(InputType.feedForward(SIDE * SIDE))
            .build();
        final MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** A convolution, pooling and a dense layer with dropout, on flat 6x6 images. */
    private static MultiLayerNetwork convNet(final long seed)
    {
        final MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
            .seed(seed).dataType(DataType.FLOAT).updater(new Sgd(0.05))
            .list()
            .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build())
            .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
            .layer(new DenseLayer.Builder().nOut(10).activation(Activation.RELU).dropOut(0.5).build())
            .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                .activation(Activation.SOFTMAX).build())
            .setInputType(InputType.convolutionalFlat(SIDE, SIDE, 1))
            .build();
        final MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** {@code batches} batches of {@code BATCH} images whose class sets where the bright pixels are. */
    private static List<DataSet> data(final int batches, final long seed)
    {
        final Random random = new Random(seed);
        final List<DataSet> out = new ArrayList<>();
        for (int b = 0; b < batches; b++)
        {
            final float[][] x = new float[BATCH][SIDE * SIDE];
            final float[][] y = new float[BATCH][CLASSES];
            for (int i = 0; i < BATCH; i++)
            {
                final int label = random.nextInt(CLASSES);
                y[i][label] = 1;
                for (int p = 0; p < SIDE * SIDE; p++)
                {
                    x[i][p] = (float)(random.nextGaussian() * 0.3 + (p % CLASSES == label ? 1 : 0));
                }
            }
            out.add(new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(y)));
        }
        return out;
    }

    /** An iterator whose batches are {@code batches}. */
    private static ListDataSetIterator<DataSet> iterator(final List<DataSet> batches)
    {
        final List<DataSet> examples = new ArrayList<>();
        for (final DataSet batch : batches)
        {
            examples.addAll(batch.asList());
        }
        return new ListDataSetIterator<>(examples, BATCH);
    }

    /** One process, plain DL4J: {@code fit} on each step's global batch, the generator seeded as the ranks seed it. */
    private static INDArray reference(
        final MultiLayerNetwork net, final List<DataSet> batches, final int ranks, final int epochs)
    {
        final long seed = net.getDefaultConfiguration().getSeed();
        for (int e = 0; e < epochs; e++)
        {
            for (int from = 0; from < batches.size(); from += ranks)
            {
                final DataSet global = DataSet.merge(batches.subList(from, Math.min(from + ranks, batches.size())));
                Nd4j.getRandom().setSeed(DataParallelNetwork.stepSeed(seed, net.getIterationCount()));
                net.fit(global);
            }
        }
        return net.params().dup();
    }

    private List<float[]> trainOnRanks(
        final int ranks, final LongFunction<MultiLayerNetwork> build, final List<DataSet> batches, final int epochs)
    {
        final AtomicReferenceArray<float[]> results = new AtomicReferenceArray<>(ranks);
        ThreadRanks.run(ranks, (world) ->
        {
            // Rank 0 starts from the reference's parameters, the others elsewhere: the broadcast makes them equal.
            final MultiLayerNetwork net = build.apply(7);
            if (world.rank() > 0)
            {
                net.params().assign(Nd4j.rand(DataType.FLOAT, net.params().shape()));
            }
            final DataParallelNetwork dp = new DataParallelNetwork(world, net, runDir, () -> false, QUIET, ranks)
                .withoutCheckpoints();
            final FitResult result = dp.fit(iterator(batches), epochs);
            assertEquals(epochs, result.epochs());
            results.set(world.rank(), net.params().toFloatVector());
        });
        final List<float[]> out = new ArrayList<>();
        for (int r = 0; r < ranks; r++)
        {
            out.add(results.get(r));
        }
        return out;
    }

    private static void assertMatches(final INDArray expected, final List<float[]> ranks)
    {
        for (int r = 0; r < ranks.size(); r++)
        {
            assertArrayEquals(ranks.get(0), ranks.get(r), "rank " + r + " must hold rank 0's parameters bit for bit");
        }
        final INDArray got = Nd4j.createFromArray(ranks.get(0));
        final double difference = got.sub(expected.reshape(got.shape())).norm2Number().doubleValue() /
            expected.norm2Number().doubleValue();
        assertTrue(difference <= 1e-5, "differs from one process at the global batch by " + difference);
    }

    @Test
    void twoRanksWithDropoutEqualOneProcessAtTheGlobalBatchWithAnUnevenEnd()
    {
        // 7 batches on 2 ranks: the last step of each epoch has a batch for rank 0 only.
        final List<DataSet> batches = data(7, 1);
        final INDArray expected = reference(dropoutMlp(7), batches, 2, 2);
        final MultiLayerNetwork untrained = dropoutMlp(7);
        assertFalse(untrained.params().equalsWithEps(expected, 1e-3), "training must move the parameters");
        assertMatches(expected, trainOnRanks(2, DataParallelNetworkTest::dropoutMlp, batches, 2));
    }

    @Test
    void eachRanksOwnShardsTrainLikeOneSharedIterator()
    {
        // 7 batches: rank 0 holds batches 0, 2, 4, 6 and rank 1 batches 1, 3, 5, so the last step is rank 0's only.
        final List<DataSet> batches = data(7, 1);
        final INDArray expected = reference(dropoutMlp(7), batches, 2, 2);
        final AtomicReferenceArray<float[]> results = new AtomicReferenceArray<>(2);
        ThreadRanks.run(2, (world) ->
        {
            final List<DataSet> mine = new ArrayList<>();
            for (int b = world.rank(); b < batches.size(); b += 2)
            {
                mine.add(batches.get(b));
            }
            final MultiLayerNetwork net = dropoutMlp(7);
            final FitResult result = new DataParallelNetwork(world, net, runDir, () -> false, QUIET, 2)
                .withoutCheckpoints().fitShard(iterator(mine), 2);
            assertEquals(8, result.iteration());
            results.set(world.rank(), net.params().toFloatVector());
        });
        assertMatches(expected, List.of(results.get(0), results.get(1)));
    }

    @Test
    void twoRanksOfAConvolutionalNetworkWithDropoutEqualOneProcess()
    {
        final List<DataSet> batches = data(6, 2);
        final INDArray expected = reference(convNet(7), batches, 2, 2);
        assertMatches(expected, trainOnRanks(2, DataParallelNetworkTest::convNet, batches, 2));
    }

    /** An LSTM with dropout on its input, over sequences: the images' rows, one per time step. */
    private static MultiLayerNetwork lstm(final long seed)
    {
        final MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
            .seed(seed).dataType(DataType.FLOAT).updater(new Adam(0.01))
            .list()
            .layer(new LSTM.Builder().nIn(SIDE).nOut(8).activation(Activation.TANH).dropOut(0.8).build())
            .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(CLASSES)
                .activation(Activation.SOFTMAX).build())
            .build();
        final MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** The batches as sequences [batch, SIDE, SIDE time steps] with the label at every step. */
    private static List<DataSet> sequences(final List<DataSet> batches)
    {
        final List<DataSet> out = new ArrayList<>();
        for (final DataSet batch : batches)
        {
            final INDArray x = batch.getFeatures().reshape('c', BATCH, SIDE, SIDE).permute(0, 2, 1).dup('c');
            final INDArray y = Nd4j.create(DataType.FLOAT, BATCH, CLASSES, SIDE);
            for (int t = 0; t < SIDE; t++)
            {
                y.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t)).assign(batch.getLabels());
            }
            out.add(new DataSet(x, y));
        }
        return out;
    }

    @Test
    void twoRanksOfAnLstmWithDropoutEqualOneProcess()
    {
        final List<DataSet> batches = sequences(data(5, 8));
        final INDArray expected = reference(lstm(7), batches, 2, 1);
        assertMatches(expected, trainOnRanks(2, DataParallelNetworkTest::lstm, batches, 1));
    }

    /** Dense, batch normalisation, dropout. */
    private static ComputationGraph batchNormGraph(final long seed)
    {
        final ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder()
            .seed(seed).dataType(DataType.FLOAT).updater(new Adam(0.01))
            .graphBuilder()
            .addInputs("in")
            .addLayer("dense", new DenseLayer.Builder().nIn(SIDE * SIDE).nOut(12).activation(Activation.IDENTITY)
                .build(), "in")
            .addLayer("norm", new BatchNormalization.Builder().nOut(12).build(), "dense")
            .addLayer("drop", new DropoutLayer.Builder(0.7).build(), "norm")
            .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(12).nOut(CLASSES)
                .activation(Activation.SOFTMAX).build(), "drop")
            .setOutputs("out")
            .build());
        graph.init();
        return graph;
    }

    @Test
    void aGraphWithBatchNormalisationKeepsEveryRankIdenticalWithRunningMeansOfTheGlobalBatch()
    {
        final List<DataSet> batches = data(6, 9);
        final AtomicReferenceArray<float[]> results = new AtomicReferenceArray<>(2);
        ThreadRanks.run(2, (world) ->
        {
            final ComputationGraph graph = batchNormGraph(7);
            final DataParallelNetwork dp = new DataParallelNetwork(world, graph, runDir, () -> false, QUIET, 2)
                .withoutCheckpoints();
            dp.fit(iterator(batches), 2);
            results.set(world.rank(), graph.params().toFloatVector());
        });
        assertArrayEquals(results.get(0), results.get(1), "bit-identical parameters on every rank");
        // One step of one process on the global batch moves the running mean by (1 - decay) * its mean; the ranks'
        // weighted shares must move it the same way (the variance only approximately: not compared).
        final ComputationGraph single = batchNormGraph(7);
        final INDArray before = single.getLayer("norm").getParam("mean").dup();
        single.fit(DataSet.merge(batches.subList(0, 2)));
        final ComputationGraph ranks = batchNormGraph(7);
        ThreadRanks.run(2, (world) ->
        {
            final ComputationGraph graph = world.rank() == 0 ? ranks : batchNormGraph(7);
            new DataParallelNetwork(world, graph, runDir, () -> false, QUIET, 2).withoutCheckpoints()
                .fit(iterator(batches.subList(0, 2)), 1);
        });
        final INDArray expected = single.getLayer("norm").getParam("mean");
        final INDArray got = ranks.getLayer("norm").getParam("mean");
        assertFalse(before.equalsWithEps(expected, 1e-6), "the step moves the running mean");
        assertTrue(got.equalsWithEps(expected, 1e-5), "running mean " + got + " against one process's " + expected);
    }

    @Test
    void stoppingCheckpointsAndTheNextFitResumesBitForBit()
    {
        final List<DataSet> batches = data(8, 3);
        final float[] uninterrupted = trainOnRanks(2, DataParallelNetworkTest::dropoutMlp, batches, 3).get(0);
        final AtomicReferenceArray<float[]> results = new AtomicReferenceArray<>(2);
        ThreadRanks.run(2, (world) ->
        {
            final MultiLayerNetwork first = dropoutMlp(7);
            final BooleanSupplier stopAfterFive = () -> first.getIterationCount() >= 5;
            final DataParallelNetwork stopping = new DataParallelNetwork(world, first, runDir, stopAfterFive, QUIET, 2)
                .checkpointEvery(2);
            final StoppedException stopped = assertThrows(StoppedException.class,
                () -> stopping.fit(iterator(batches), 3));
            assertEquals(3, stopped.exitCode());
            assertTrue(stopped.getMessage().contains("stopped at iteration 6"), stopped.getMessage());

            final MultiLayerNetwork second = dropoutMlp(world.rank() == 0 ? 11 : 12);
            final DataParallelNetwork resumed = new DataParallelNetwork(world, dropoutMlp(7), runDir, () -> false,
                QUIET, 2);
            final FitResult result = resumed.fit(iterator(batches), 3);
            assertEquals(12, result.iteration());
            results.set(world.rank(), ((MultiLayerNetwork)resumed.network()).params().toFloatVector());
            assertEquals(0, second.getIterationCount());
        });
        assertArrayEquals(uninterrupted, results.get(0), "a resumed run equals the uninterrupted one");
        assertArrayEquals(uninterrupted, results.get(1));
    }

    @Test
    void evaluationOverRanksIsDl4jsEvaluationOfTheWholeSet()
    {
        final List<DataSet> batches = data(5, 4);
        final MultiLayerNetwork single = convNet(7);
        final Evaluation expected = single.evaluate(iterator(batches));
        final AtomicReferenceArray<Evaluation> results = new AtomicReferenceArray<>(2);
        ThreadRanks.run(2, (world) ->
        {
            final DataParallelNetwork dp = new DataParallelNetwork(world, convNet(7), runDir, () -> false, QUIET, 2);
            results.set(world.rank(), dp.evaluate(iterator(batches)));
        });
        for (int r = 0; r < 2; r++)
        {
            assertEquals(expected.getConfusion().toCSV(), results.get(r).getConfusion().toCSV());
            assertEquals(expected.accuracy(), results.get(r).accuracy());
            assertEquals(25, results.get(r).getNumRowCounter());
        }
    }

    @Test
    void earlyStoppingEndsWhenTheValidationLossStopsImproving()
    {
        final List<DataSet> batches = data(4, 5);
        ThreadRanks.run(2, (world) ->
        {
            // A learning rate of zero: the validation loss never improves after the first epoch.
            final MultiLayerNetwork net = plain(7, new Sgd(0.0));
            final DataParallelNetwork dp = new DataParallelNetwork(world, net, runDir, () -> false, QUIET, 2)
                .withoutCheckpoints().earlyStopping(iterator(data(2, 6)), 2);
            final FitResult result = dp.fit(iterator(batches), 10);
            assertTrue(result.stoppedEarly());
            assertEquals(3, result.epochs());
            assertEquals(dp.loss(iterator(data(2, 6))), result.bestValidationLoss());
        });
    }
}
