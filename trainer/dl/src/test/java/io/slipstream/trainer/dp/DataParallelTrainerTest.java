package io.slipstream.trainer.dp;

import io.slipstream.kernels.Compression;
import io.slipstream.trainer.dl4j.GraphTrainable;
import io.slipstream.trainer.dl4j.MultiLayerTrainable;
import io.slipstream.trainer.testing.Ranks;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataParallelTrainerTest
{
    private static final int STEPS = 6;
    private static final int PER_RANK = 8;

    @ParameterizedTest(name = "{0} ranks, {1}, {2}")
    @CsvSource({
        "1, sgd, mln", "2, sgd, mln", "3, sgd, mln",
        "1, adam, mln", "2, adam, mln", "3, adam, mln",
        "1, sgd, graph", "2, sgd, graph", "3, sgd, graph",
        "1, adam, graph", "2, adam, graph", "3, adam, graph"})
    void nRanksOnBSamplesEachEqualOneProcessOnTheGlobalBatch(final int ranks, final String updater, final String kind)
        throws Exception
    {
        final int global = ranks * PER_RANK;
        final DataSet data = Networks.data(global * STEPS, 7);

        // Reference: one process, plain DL4J fit() on the N*B global batch of each step.
        final INDArray expected;
        final INDArray expectedState;
        if ("mln".equals(kind))
        {
            final MultiLayerNetwork reference = Networks.mlp(updater, 42);
            for (int s = 0; s < STEPS; s++)
            {
                reference.fit(Networks.rows(data, s * global, (s + 1) * global));
            }
            expected = reference.params();
            expectedState = reference.getUpdater().getStateViewArray();
        }
        else
        {
            final ComputationGraph reference = Networks.graph(updater, 42);
            for (int s = 0; s < STEPS; s++)
            {
                reference.fit(Networks.rows(data, s * global, (s + 1) * global));
            }
            expected = reference.params();
            expectedState = reference.getUpdater().getStateViewArray();
        }

        final List<INDArray> results = Ranks.run(ranks, (group) ->
        {
            // Rank 0 starts from the reference's initial parameters; the others from a different seed,
            // so the initial broadcast is what makes them equal.
            final long seed = group.rank() == 0 ? 42 : 1000 + group.rank();
            final TrainableNetwork net = "mln".equals(kind) ?
                new MultiLayerTrainable(Networks.mlp(updater, seed)) : new GraphTrainable(Networks.graph(updater, seed));
            final DataParallelTrainer trainer = new DataParallelTrainer(group, net,
                DataParallelOptions.DEFAULT.withBucketBytes(64));
            trainer.synchronizeFrom(0);
            for (int s = 0; s < STEPS; s++)
            {
                final int from = s * global + group.rank() * PER_RANK;
                assertTrue(trainer.step(new DataSet[]{Networks.rows(data, from, from + PER_RANK)}, false));
            }
            assertEquals(STEPS, net.iteration());
            if (expectedState != null && !expectedState.isEmpty())
            {
                assertTrue(Networks.relativeDifference(net.updaterState(), expectedState) <= 1e-5, "updater state");
            }
            return net.params().dup();
        });

        for (int r = 0; r < ranks; r++)
        {
            final double difference = Networks.relativeDifference(results.get(r), expected);
            assertTrue(difference <= 1e-5, "rank " + r + " differs from one process by " + difference);
            assertArrayEquals(results.get(0).toFloatVector(), results.get(r).toFloatVector(),
                "every rank must hold bit-identical parameters");
        }
    }

    @Test
    void accumulatingMicroBatchesEqualsOneLargeBatch() throws Exception
    {
        final DataSet data = Networks.data(48, 11);
        final MultiLayerNetwork reference = Networks.mlp("adam", 5);
        for (int s = 0; s < 2; s++)
        {
            reference.fit(Networks.rows(data, s * 24, (s + 1) * 24));
        }
        final List<INDArray> results = Ranks.run(2, (group) ->
        {
            final TrainableNetwork net = new MultiLayerTrainable(Networks.mlp("adam", 5));
            final DataParallelTrainer trainer =
                new DataParallelTrainer(group, net, DataParallelOptions.DEFAULT.withAccumulationSteps(3));
            for (int s = 0; s < 2; s++)
            {
                final DataSet[] micro = new DataSet[3];
                for (int m = 0; m < 3; m++)
                {
                    // Each rank holds 12 of the step's 24 samples, in 3 micro-batches of 4.
                    final int from = s * 24 + group.rank() * 12 + m * 4;
                    micro[m] = Networks.rows(data, from, from + 4);
                }
                trainer.step(micro, false);
            }
            return net.params().dup();
        });
        assertTrue(Networks.relativeDifference(results.get(0), reference.params()) <= 1e-5);
        assertArrayEquals(results.get(0).toFloatVector(), results.get(1).toFloatVector());
    }

    @Test
    void everyRankSkipsAStepWhenOneRankSeesANonFiniteGradient() throws Exception
    {
        final DataSet data = Networks.data(16, 3);
        final List<long[]> results = Ranks.run(2, (group) ->
        {
            final TrainableNetwork net = new MultiLayerTrainable(Networks.mlp("sgd", 9));
            final DataParallelTrainer trainer = new DataParallelTrainer(group, net, DataParallelOptions.DEFAULT);
            final INDArray before = net.params().dup();
            final DataSet mine = Networks.rows(data, group.rank() * 8, group.rank() * 8 + 8);
            if (group.rank() == 1)
            {
                mine.getFeatures().putScalar(0, 0, Float.NaN);
            }
            final boolean applied = trainer.step(new DataSet[]{mine}, false);
            assertFalse(applied);
            assertArrayEquals(before.toFloatVector(), net.params().toFloatVector(), "a skipped step changes nothing");
            assertEquals(0, net.iteration());
            final DataSet clean = Networks.rows(data, group.rank() * 8, group.rank() * 8 + 8);
            assertTrue(trainer.step(new DataSet[]{clean}, group.rank() == 0));
            assertTrue(trainer.stopAgreed(), "a stop asked by one rank is seen by all");
            return new long[]{trainer.skippedSteps(), net.iteration(), trainer.lastGlobalSamples()};
        });
        for (final long[] r : results)
        {
            assertArrayEquals(new long[]{1, 1, 16}, r);
        }
    }

    @Test
    void aRankWithoutDataStillTakesPartAndAddsNothing() throws Exception
    {
        final DataSet data = Networks.data(8, 21);
        final MultiLayerNetwork reference = Networks.mlp("sgd", 4);
        reference.fit(data);
        final List<INDArray> results = Ranks.run(2, (group) ->
        {
            final TrainableNetwork net = new MultiLayerTrainable(Networks.mlp("sgd", 4));
            final DataParallelTrainer trainer = new DataParallelTrainer(group, net, DataParallelOptions.DEFAULT);
            trainer.step(group.rank() == 0 ? new DataSet[]{data} : new DataSet[0], false);
            assertEquals(8, trainer.lastGlobalSamples());
            return net.params().dup();
        });
        for (int rank = 0; rank < 2; rank++)
        {
            assertTrue(Networks.relativeDifference(results.get(rank), reference.params()) <= 1e-5,
                "rank " + rank + " matches single-process training on the one rank's data");
        }
        assertArrayEquals(results.get(0).toFloatVector(), results.get(1).toFloatVector(),
            "the rank with data and the rank without end bit-identical");
    }

    @Test
    void compressedExchangeKeepsRanksIdenticalAndCloseToExact() throws Exception
    {
        final DataSet data = Networks.data(32 * 10, 13);
        for (final Compression compression : new Compression[]{Compression.BF16, Compression.FP16})
        {
            final MultiLayerNetwork reference = Networks.mlp("sgd", 8);
            for (int s = 0; s < 10; s++)
            {
                reference.fit(Networks.rows(data, s * 32, (s + 1) * 32));
            }
            final List<INDArray> results = Ranks.run(2, (group) ->
            {
                final TrainableNetwork net = new MultiLayerTrainable(Networks.mlp("sgd", 8));
                final DataParallelTrainer trainer = new DataParallelTrainer(group, net,
                    DataParallelOptions.DEFAULT.withCompression(compression).withBucketBytes(128));
                for (int s = 0; s < 10; s++)
                {
                    final int from = s * 32 + group.rank() * 16;
                    trainer.step(new DataSet[]{Networks.rows(data, from, from + 16)}, false);
                }
                return net.params().dup();
            });
            assertArrayEquals(results.get(0).toFloatVector(), results.get(1).toFloatVector(), compression.name());
            final double difference = Networks.relativeDifference(results.get(0), reference.params());
            assertTrue(difference < 1e-2, compression + " drifted by " + difference);
        }
    }
}
