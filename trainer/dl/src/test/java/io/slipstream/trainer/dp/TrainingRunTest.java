package io.slipstream.trainer.dp;

import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.dl4j.MultiLayerTrainable;
import io.slipstream.trainer.state.TrainingState;
import io.slipstream.trainer.testing.Ranks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingRunTest
{
    private static final int EPOCHS = 3;
    private static final int BATCH = 5;
    private static final long SEED = 99;

    /** 60 rows; feature 0 is the row's own index, so a batch tells which global samples it holds. */
    private static Dataset indexedData()
    {
        final Random random = new Random(5);
        final double[][] x = new double[60][Networks.FEATURES];
        final int[] y = new int[60];
        for (int i = 0; i < x.length; i++)
        {
            y[i] = random.nextInt(Networks.CLASSES);
            x[i][0] = i / 60.0;
            for (int f = 1; f < Networks.FEATURES; f++)
            {
                x[i][f] = random.nextGaussian() + (f % Networks.CLASSES == y[i] ? 1.0 : 0.0);
            }
        }
        return new Dataset(x, y, new String[]{"i", "a", "b", "c", "d"}, new String[]{"p", "q", "r"});
    }

    /** Hooks that keep checkpoints in memory and ask to stop after a number of reported steps. */
    private static final class MemoryHooks implements TrainingHooks
    {
        final AtomicReference<TrainingState> store;
        final int stopAfterSteps;
        int steps;

        MemoryHooks(final AtomicReference<TrainingState> store, final int stopAfterSteps)
        {
            this.store = store;
            this.stopAfterSteps = stopAfterSteps;
        }

        @Override
        public boolean stopRequested()
        {
            return stopAfterSteps >= 0 && steps >= stopAfterSteps;
        }

        @Override
        public void onStep(final StepReport report)
        {
            steps++;
        }

        @Override
        public boolean checkpointsEnabled()
        {
            return true;
        }

        @Override
        public boolean saveCheckpoint(final TrainingState state)
        {
            store.set(state);
            return true;
        }

        @Override
        public Optional<TrainingState> latestCheckpoint(final long seed)
        {
            return Optional.ofNullable(store.get());
        }
    }

    private static float[] train(
        final int ranks, final AtomicReference<TrainingState> store, final int stopRank, final int stopAfter,
        final TrainingRun.Outcome expected, final List<List<Integer>> seen) throws Exception
    {
        final Dataset data = indexedData();
        final List<float[]> params = Ranks.run(ranks, (group) ->
        {
            final MultiLayerTrainable net = new MultiLayerTrainable(Networks.mlp("adam", 7 + group.rank()));
            final DataParallelTrainer trainer = new DataParallelTrainer(group, net, DataParallelOptions.DEFAULT);
            final TrainingHooks hooks = new MemoryHooks(store, group.rank() == stopRank ? stopAfter : -1);
            final ShardBatches batches =
                new ShardBatches(data, hooks.shardAssignment(data.size(), group.size(), SEED), group.rank(), BATCH, EPOCHS);
            final List<Integer> mine = new ArrayList<>();
            final BatchSource recording = new BatchSource()
            {
                public int epochs()
                {
                    return batches.epochs();
                }

                public void startEpoch(final int epoch, final long samplesInEpoch)
                {
                    batches.startEpoch(epoch, samplesInEpoch);
                }

                public DataSet next()
                {
                    final DataSet batch = batches.next();
                    if (batch != null && mine.size() < 1000)
                    {
                        for (int i = 0; i < batch.numExamples(); i++)
                        {
                            mine.add(Math.round(batch.getFeatures().getFloat(i, 0) * 60));
                        }
                    }
                    return batch;
                }
            };
            final TrainingRun run = new TrainingRun(trainer, hooks, "test-mlp", SEED);
            assertEquals(expected, run.run(recording));
            synchronized (seen)
            {
                seen.add(mine);
            }
            return net.params().toFloatVector();
        });
        for (final float[] p : params)
        {
            assertArrayEquals(params.get(0), p, "ranks must agree");
        }
        return params.get(0);
    }

    @Test
    void anInterruptedRunResumedWithTheSameWorldSizeEndsBitIdentical() throws Exception
    {
        final float[] uninterrupted = train(2, new AtomicReference<>(), -1, -1, TrainingRun.Outcome.COMPLETED, new ArrayList<>());

        final AtomicReference<TrainingState> store = new AtomicReference<>();
        final float[] stopped = train(2, store, 1, 7, TrainingRun.Outcome.STOPPED, new ArrayList<>());
        final TrainingState checkpoint = store.get();
        assertEquals(8, checkpoint.iteration(), "the stop asked before step 8 is honoured after it");
        assertEquals(1, checkpoint.epoch());
        assertEquals(2, checkpoint.worldSize());
        assertArrayEquals(stopped, checkpoint.params());
        assertTrue(!Arrays.equals(stopped, uninterrupted));

        final float[] resumed = train(2, store, -1, -1, TrainingRun.Outcome.COMPLETED, new ArrayList<>());
        assertArrayEquals(uninterrupted, resumed, "resume must reproduce the uninterrupted run bit for bit");
        assertEquals(EPOCHS * 6, store.get().iteration());
    }

    @Test
    void aResumeWithAnotherWorldSizeContinuesFromTheSameGlobalSample() throws Exception
    {
        final AtomicReference<TrainingState> store = new AtomicReference<>();
        train(2, store, 0, 2, TrainingRun.Outcome.STOPPED, new ArrayList<>());
        final TrainingState checkpoint = store.get();
        assertEquals(0, checkpoint.epoch());
        assertEquals(30, checkpoint.samplesInEpoch(), "3 steps of 2 x 5 samples");

        final List<List<Integer>> seen = new ArrayList<>();
        train(3, store, -1, -1, TrainingRun.Outcome.COMPLETED, seen);
        final int[] order = new InterleavedShards(60, 3, SEED).order(0);
        final List<Integer> expected = new ArrayList<>();
        for (int i = 30; i < 60; i++)
        {
            expected.add(order[i]);
        }
        final List<Integer> read = new ArrayList<>();
        for (final List<Integer> rank : seen)
        {
            read.addAll(rank.subList(0, 10));
        }
        read.sort(null);
        expected.sort(null);
        assertEquals(expected, read, "epoch 0 continues with global samples 30..59 of its order");
    }

    @Test
    void aCheckpointOfAnotherModelIsRefusedOnEveryRank() throws Exception
    {
        final AtomicReference<TrainingState> store = new AtomicReference<>(new TrainingState(new byte[32], "other", 1, SEED,
            0, 3, 0, 0, new float[]{1, 2}, new float[0]));
        final Exception ex = assertThrows(Exception.class,
            () -> train(2, store, -1, -1, TrainingRun.Outcome.COMPLETED, new ArrayList<>()));
        assertTrue(String.valueOf(ex.getMessage()).contains("holds model 'other'"), ex.getMessage());
    }

    @Test
    void aCheckpointThatCannotBeWrittenUnderTheStopPolicyStopsEveryRank() throws Exception
    {
        final Dataset data = indexedData();
        final List<long[]> seen = Ranks.run(2, (group) ->
        {
            final MultiLayerTrainable net = new MultiLayerTrainable(Networks.mlp("sgd", 3));
            final DataParallelTrainer trainer = new DataParallelTrainer(group, net, DataParallelOptions.DEFAULT);
            final TrainingHooks diskFull = new TrainingHooks()
            {
                @Override
                public boolean checkpointsEnabled()
                {
                    return true;
                }

                @Override
                public int checkpointEverySteps()
                {
                    return 4;
                }

                @Override
                public boolean saveCheckpoint(final TrainingState state)
                {
                    return false;
                }
            };
            final ShardBatches batches = new ShardBatches(data, new InterleavedShards(60, 2, SEED), group.rank(), BATCH, 3);
            final TrainingRun.Outcome outcome = new TrainingRun(trainer, diskFull, "t", SEED).run(batches);
            return new long[]{outcome.ordinal(), net.iteration()};
        });
        for (final long[] rank : seen)
        {
            assertArrayEquals(new long[]{TrainingRun.Outcome.STOPPED.ordinal(), 4}, rank);
        }
    }
}
