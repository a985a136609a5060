package io.slipstream.api;

import io.slipstream.comm.Communicator;
import io.slipstream.comm.ReduceOp;
import io.slipstream.launcher.checkpoint.CheckpointStore;
import io.slipstream.launcher.experiment.ShardingSection;
import io.slipstream.launcher.signal.SignalHooks;
import io.slipstream.launcher.train.RunDirHooks;
import io.slipstream.launcher.train.TrainingSpec;
import io.slipstream.trainer.dl4j.GraphTrainable;
import io.slipstream.trainer.dl4j.MultiLayerTrainable;
import io.slipstream.trainer.dp.TrainableNetwork;
import io.slipstream.trainer.dp.DataParallelOptions;
import io.slipstream.trainer.dp.DataParallelTrainer;
import io.slipstream.trainer.dp.TrainingOptions;
import io.slipstream.trainer.dp.TrainingRun;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.BooleanSupplier;

/**
 * A user's own {@code MultiLayerNetwork} or {@code ComputationGraph} trained synchronously data-parallel over the
 * job's ranks, with the guarantees of a YAML training job. Get one from {@link SlipstreamJob#train}; every rank
 * makes the same calls in the same order.
 *
 * <ul>
 *   <li>{@link #fit(DataSetIterator, int)}: every rank passes an iterator over the same data in the same order; the
 *   iterator's batches are dealt to the ranks (step s trains on batches {@code s*N .. s*N+N-1}, one per rank), so
 *   one step's global batch is N of the iterator's batches. A rank without a batch at the end of an epoch still
 *   takes part. Rank 0's parameters and updater state are broadcast first. {@link #fitShard} takes each rank's own
 *   iterator instead.</li>
 *   <li>Every rank ends every step with bit-identical parameters, equal (to float rounding) to one process training
 *   on each step's global batch, with dropout too: each step's masks are drawn over the whole global batch from a
 *   generator seeded with {@link #stepSeed(long, long)} (see {@link GlobalBatchDropout}), so a process that seeds
 *   ND4J that way before each {@code fit(globalBatch)} reproduces the run. Batch normalisation uses each rank's own
 *   batch statistics (see {@link RankTrainable}).</li>
 *   <li>Checkpoints: rank 0 keeps the newest 3 in {@code <run dir>/checkpoints/} at the end, when stopped, and every
 *   {@link #checkpointEvery} steps; a later fit with the same network configuration in the same run directory resumes
 *   from the newest one, bit for bit as if it had not stopped. {@code metrics.jsonl} in the run directory gets a line
 *   per step, and rank 0 shows a progress line.</li>
 *   <li>SIGUSR1/SIGTERM/SIGINT: every rank finishes the step, rank 0 writes a checkpoint, and {@code fit} throws
 *   {@link StoppedException} (exit code 3).</li>
 *   <li>{@link #earlyStopping}: after each epoch the mean loss on a validation iterator (split over the ranks like
 *   the training data); training ends when it has not improved for {@code patience} epochs, and the network is left
 *   with the parameters of its best epoch.</li>
 *   <li>{@link #evaluate}: DL4J's own {@link Evaluation} of an iterator, its batches split over the ranks and the
 *   ranks' evaluations merged, the same on every rank.</li>
 * </ul>
 *
 * <p>The network must be initialised ({@code init()}) and use float32 ({@code .dataType(DataType.FLOAT)}). Listeners
 * and constraints of the network are not run during {@code fit}, as in every Slipstream data-parallel fit.
 */
public final class DataParallelNetwork
{
    private static final String CHECKPOINT_DIR = "checkpoints";
    private static final int KEEP = 3;

    private final Communicator world;
    private final Model model;
    private final GlobalBatch batch = new GlobalBatch();
    private final TrainableNetwork net;
    private final Path runDir;
    private final BooleanSupplier stop;
    private final PrintStream out;
    private final int ranksOnHost;
    private final long seed;
    private final byte[] configHash;
    private DataParallelTrainer trainer;
    private int checkpointEvery;
    private boolean checkpoints = true;
    private DataSetIterator validation;
    private int patience;

    DataParallelNetwork(
        final Communicator world,
        final Model model,
        final Path runDir,
        final BooleanSupplier stop,
        final PrintStream out,
        final int ranksOnHost)
    {
        this.world = world;
        this.model = model;
        this.runDir = runDir;
        this.stop = stop;
        this.out = out;
        this.ranksOnHost = ranksOnHost;
        final String json;
        final TrainableNetwork plain;
        if (model instanceof MultiLayerNetwork)
        {
            final MultiLayerNetwork mln = (MultiLayerNetwork)model;
            plain = new MultiLayerTrainable(mln);
            json = mln.getLayerWiseConfigurations().toJson();
            seed = mln.getDefaultConfiguration().getSeed();
        }
        else if (model instanceof ComputationGraph)
        {
            final ComputationGraph graph = (ComputationGraph)model;
            plain = new GraphTrainable(graph);
            json = graph.getConfiguration().toJson();
            seed = graph.getConfiguration().getDefaultConfiguration().getSeed();
        }
        else
        {
            throw new IllegalArgumentException("data-parallel training takes a MultiLayerNetwork or a " +
                "ComputationGraph, not a " + model.getClass().getName());
        }
        net = new RankTrainable(plain, model, batch);
        configHash = sha256(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Also checkpoint every {@code steps} applied steps (0, the default: only at the end and when stopped). */
    public DataParallelNetwork checkpointEvery(final int steps)
    {
        if (steps < 0)
        {
            throw new IllegalArgumentException("checkpointEvery takes steps >= 0 (0: only at the end and when " +
                "stopped), not " + steps);
        }
        checkpointEvery = steps;
        return this;
    }

    /** Keeps no checkpoints and never resumes (a stop then ends the fit with nothing saved). */
    public DataParallelNetwork withoutCheckpoints()
    {
        checkpoints = false;
        return this;
    }

    /**
     * Ends training when the mean loss on {@code validationData} (every rank passes the same iterator) has not
     * improved for {@code patience} epochs, and leaves the network with its best epoch's parameters.
     */
    public DataParallelNetwork earlyStopping(final DataSetIterator validationData, final int patience)
    {
        if (patience < 1 || validationData == null)
        {
            throw new IllegalArgumentException("earlyStopping needs a validation iterator and patience >= 1 epochs");
        }
        this.validation = validationData;
        this.patience = patience;
        return this;
    }

    /**
     * Trains {@code epochs} epochs over {@code data} (see the class comment), resuming from this network's newest
     * checkpoint in the run directory if there is one.
     *
     * @throws StoppedException when a signal stopped training (after the checkpoint).
     */
    public FitResult fit(final DataSetIterator data, final int epochs)
    {
        return fit(data, false, epochs);
    }

    /**
     * As {@link #fit(DataSetIterator, int)}, but {@code shard} is this rank's own part of the data (rank r's step s
     * trains on its iterator's batch s; the ranks' batches of a step, rank 0's first, make the global batch). The
     * epoch ends when no rank has a batch left; a resume needs the same shards.
     */
    public FitResult fitShard(final DataSetIterator shard, final int epochs)
    {
        return fit(shard, true, epochs);
    }

    private FitResult fit(final DataSetIterator data, final boolean ownData, final int epochs)
    {
        if (epochs < 1)
        {
            throw new IllegalArgumentException("fit needs epochs >= 1, not " + epochs);
        }
        if (trainer == null)
        {
            trainer = new DataParallelTrainer(world, net, DataParallelOptions.DEFAULT);
        }
        final boolean terminal = System.console() != null;
        final TrainingSpec spec = new TrainingSpec(new TrainingOptions(DataParallelOptions.DEFAULT, 0, 1),
            terminal ? TrainingSpec.Progress.BAR : TrainingSpec.Progress.OFF, checkpoints, CHECKPOINT_DIR,
            checkpointEvery, KEEP, CheckpointStore.OnFailure.CONTINUE, true);
        final EarlyStopping early = validation == null ? null : new EarlyStopping(patience);
        final TrainingRun.Outcome outcome;
        final IteratorShards source;
        try (RunDirHooks runDirHooks = new RunDirHooks(new SignalHooks(stop), spec, ShardingSection.DEFAULT, runDir,
            world.rank(), ranksOnHost, configHash, out);
             GlobalBatchDropout.Installed ignored = GlobalBatchDropout.install(model, batch))
        {
            final EpochProgress hooks = new EpochProgress(runDirHooks, world.rank() == 0 && !terminal ? out : null);
            source = new IteratorShards(data, world, ownData, epochs, batch, net, seed, (epoch) ->
            {
                hooks.epochEnded();
                return early != null && early.epochEnded(loss(validation));
            });
            outcome = new TrainingRun(trainer, hooks, modelTag(), seed).run(source);
            if (outcome == TrainingRun.Outcome.STOPPED)
            {
                hooks.finish();
                throw new StoppedException("rank " + world.rank() + ": stopped at iteration " + net.iteration() +
                    (checkpoints ? " after a checkpoint in " + runDir.resolve(CHECKPOINT_DIR) + "; run the same " +
                    "command again to resume" : " (checkpoints are off: nothing was saved)"));
            }
            source.finish();
            hooks.finish();
        }
        if (early != null && early.bestParams() != null)
        {
            net.params().assign(early.bestParams());
        }
        return new FitResult(source.epochsDone(), net.iteration(), trainer.lastLoss(), source.endedEarly(),
            early == null ? Double.NaN : early.bestLoss());
    }

    /** The mean loss per sample over all of {@code data} (every rank passes the same iterator), on every rank. */
    public double loss(final DataSetIterator data)
    {
        final double[] sums = new double[2];
        forMyBatches(data, (batchData) ->
        {
            final int n = batchData.numExamples();
            final double score = model instanceof MultiLayerNetwork ?
                ((MultiLayerNetwork)model).score(batchData, false) : ((ComputationGraph)model).score(batchData, false);
            sums[0] += score * n;
            sums[1] += n;
        });
        world.allreduce(sums, ReduceOp.SUM);
        return sums[1] == 0 ? Double.NaN : sums[0] / sums[1];
    }

    /**
     * DL4J's {@link Evaluation} of {@code data} (every rank passes the same iterator): each rank evaluates its share
     * of the batches and the ranks' evaluations are merged, so every rank returns the evaluation of the whole set.
     */
    public Evaluation evaluate(final DataSetIterator data)
    {
        final Evaluation mine = new Evaluation();
        forMyBatches(data, (batchData) -> mine.eval(batchData.getLabels(), net.output(batchData.getFeatures()),
            batchData.getLabelsMaskArray()));
        Evaluation merged = null;
        for (int root = 0; root < world.size(); root++)
        {
            final byte[] json = world.broadcastBytes(root == world.rank() ?
                mine.toJson().getBytes(StandardCharsets.UTF_8) : null, root);
            final Evaluation theirs = Evaluation.fromJson(new String(json, StandardCharsets.UTF_8));
            if (merged == null)
            {
                merged = theirs;
            }
            else
            {
                merged.merge(theirs);
            }
        }
        return merged;
    }

    /** SHA-256 of the parameters' float32 bits, as hex: equal on every rank after every step. */
    public String parameterDigest()
    {
        final float[] params = net.params().toFloatVector();
        final ByteBuffer bytes = ByteBuffer.allocate(params.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (final float p : params)
        {
            bytes.putInt(Float.floatToRawIntBits(p));
        }
        return HexFormat.of().formatHex(sha256(bytes.array()));
    }

    /** The user's network, trained in place. */
    public Model network()
    {
        return model;
    }

    /** Updates applied so far (DL4J's iteration count). */
    public int iteration()
    {
        return net.iteration();
    }

    /**
     * The seed of ND4J's generator at the start of the step that applies update {@code iteration} + 1 of a network
     * whose configuration has {@code seed}: a pure function of both (SplitMix64's finaliser), the same on every rank.
     */
    public static long stepSeed(final long seed, final long iteration)
    {
        long z = seed + (iteration + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private interface BatchBody
    {
        void accept(DataSet data);
    }

    /** Runs {@code body} on this rank's share of {@code data}'s batches: batches r, r + N, r + 2N, ... */
    private void forMyBatches(final DataSetIterator data, final BatchBody body)
    {
        if (data.resetSupported())
        {
            data.reset();
        }
        for (int k = 0; data.hasNext(); k++)
        {
            final DataSet next = data.next();
            if (k % world.size() == world.rank())
            {
                body.accept(next);
            }
        }
    }

    private String modelTag()
    {
        return "dl4j " + model.getClass().getSimpleName() + " " + net.params().length() + " parameters";
    }

    private static byte[] sha256(final byte[] bytes)
    {
        try
        {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("this JVM has no SHA-256", ex);
        }
    }

    /** The best validation loss so far and its parameters; ends training after {@code patience} epochs without. */
    private final class EarlyStopping
    {
        private final int patience;
        private double bestLoss = Double.POSITIVE_INFINITY;
        private INDArray bestParams;
        private int worse;

        EarlyStopping(final int patience)
        {
            this.patience = patience;
        }

        boolean epochEnded(final double loss)
        {
            if (loss < bestLoss)
            {
                bestLoss = loss;
                bestParams = bestParams == null ? net.params().dup() : bestParams.assign(net.params());
                worse = 0;
                return false;
            }
            return ++worse >= patience;
        }

        double bestLoss()
        {
            return bestLoss;
        }

        INDArray bestParams()
        {
            return bestParams;
        }
    }
}
