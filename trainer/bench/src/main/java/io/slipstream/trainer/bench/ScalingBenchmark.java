package io.slipstream.trainer.bench;

import io.slipstream.comm.Communicator;
import io.slipstream.comm.ReduceOp;
import io.slipstream.kernels.ComputeThreads;
import io.slipstream.trainer.dl4j.MultiLayerTrainable;
import io.slipstream.trainer.dp.DataParallelOptions;
import io.slipstream.trainer.dp.DataParallelTrainer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Arrays;
import java.util.Locale;

/**
 * Data-parallel training throughput: an MLP (ReLU hidden layers, softmax output) on synthetic data, a fixed batch
 * per rank, trained through {@link DataParallelTrainer} on every rank of a world. After warm-up steps, times
 * {@code steps} whole steps (forward, backward, gradient allreduce, update) between two barriers and reports the
 * world's samples per second and the share of step time the slowest rank spent in communication. Run it on 1 rank
 * and on N ranks of the same host to see how training scales ({@code slipstream bench train}).
 */
public final class ScalingBenchmark
{
    /** Prefix of the result line rank 0 prints; {@link #parse} reads it back. */
    public static final String RESULT_PREFIX = "train-scaling:";

    /**
     * What to train.
     *
     * @param layers  layer widths, input first, classes last (at least one hidden layer).
     * @param batch   samples per rank per step.
     * @param steps   timed steps.
     * @param warmup  untimed steps before them.
     * @param threads ND4J threads per rank.
     */
    public record Options(int[] layers, int batch, int steps, int warmup, int threads)
    {
        public Options
        {
            if (layers == null || layers.length < 3 || Arrays.stream(layers).anyMatch((w) -> w < 1 || w > 65_536))
            {
                throw new IllegalArgumentException("layers " + Arrays.toString(layers) + " are not allowed; give at " +
                    "least input, one hidden layer and output, each 1..65536 wide, e.g. 784,1024,1024,10");
            }
            if (batch < 1 || steps < 1 || warmup < 0 || threads < 1)
            {
                throw new IllegalArgumentException("batch " + batch + ", steps " + steps + ", warmup " + warmup +
                    " and threads " + threads + " are not allowed; use batch, steps, threads >= 1 and warmup >= 0");
            }
            layers = layers.clone();
        }

        /** Issue 6's compute-bound MLP: 784-1024-1024-10, batch 256 per rank, one ND4J thread. */
        public static Options defaults()
        {
            return new Options(new int[]{784, 1024, 1024, 10}, 256, 20, 3, 1);
        }

        @Override
        public int[] layers()
        {
            return layers.clone();
        }
    }

    /**
     * One measurement.
     *
     * @param ranks             world size.
     * @param samplesPerSecond  samples of the whole world per second.
     * @param stepMillis        wall time of one step.
     * @param commFraction      the largest per-rank share of step time spent in gradient communication.
     */
    public record Result(int ranks, double samplesPerSecond, double stepMillis, double commFraction)
    {
        /** The line rank 0 prints: readable, and parsed back by {@link #parse}. */
        public String line()
        {
            return String.format(Locale.ROOT, "%s ranks=%d samples_per_s=%.1f step_ms=%.2f comm_fraction=%.4f",
                RESULT_PREFIX, ranks, samplesPerSecond, stepMillis, commFraction);
        }
    }

    private ScalingBenchmark()
    {
    }

    /** Trains on every rank of {@code comm} (all ranks must call it with the same options); same result on all. */
    public static Result run(final Communicator comm, final Options options)
    {
        ComputeThreads.apply(options.threads());
        final int[] layers = options.layers();
        final MultiLayerNetwork net = network(layers);
        final DataParallelTrainer trainer =
            new DataParallelTrainer(comm, new MultiLayerTrainable(net), DataParallelOptions.DEFAULT);
        trainer.synchronizeFrom(0);
        final int batch = options.batch();
        final int classes = layers[layers.length - 1];
        Nd4j.getRandom().setSeed(1000L + comm.rank());
        final INDArray x = Nd4j.rand(DataType.FLOAT, batch, layers[0]);
        final INDArray y = Nd4j.zeros(DataType.FLOAT, batch, classes);
        for (int i = 0; i < batch; i++)
        {
            y.putScalar(i, (i + comm.rank()) % classes, 1.0);
        }
        final DataSet[] micro = {new DataSet(x, y)};
        for (int s = 0; s < options.warmup(); s++)
        {
            trainer.step(micro, false);
        }
        comm.barrier();
        long commNanos = 0;
        final long start = System.nanoTime();
        for (int s = 0; s < options.steps(); s++)
        {
            trainer.step(micro, false);
            commNanos += trainer.lastCommNanos();
        }
        comm.barrier();
        final long elapsed = System.nanoTime() - start;
        final double[] shares = {(double)commNanos / elapsed, elapsed};
        comm.allreduce(shares, ReduceOp.MAX);
        return new Result(comm.size(), (double)options.steps() * batch * comm.size() * 1e9 / shares[1],
            shares[1] / 1e6 / options.steps(), shares[0]);
    }

    /** Reads a {@link Result#line()} back; null if {@code line} is not one. */
    public static Result parse(final String line)
    {
        final int at = line.indexOf(RESULT_PREFIX);
        if (at < 0)
        {
            return null;
        }
        int ranks = -1;
        double samples = Double.NaN;
        double step = Double.NaN;
        double comm = Double.NaN;
        for (final String field : line.substring(at + RESULT_PREFIX.length()).trim().split("\\s+"))
        {
            final int eq = field.indexOf('=');
            if (eq < 0)
            {
                return null;
            }
            final String value = field.substring(eq + 1);
            try
            {
                switch (field.substring(0, eq))
                {
                    case "ranks" -> ranks = Integer.parseInt(value);
                    case "samples_per_s" -> samples = Double.parseDouble(value);
                    case "step_ms" -> step = Double.parseDouble(value);
                    case "comm_fraction" -> comm = Double.parseDouble(value);
                    default -> { }
                }
            }
            catch (final NumberFormatException ex)
            {
                return null;
            }
        }
        return ranks < 1 || Double.isNaN(samples) || Double.isNaN(step) || Double.isNaN(comm) ? null :
            new Result(ranks, samples, step, comm);
    }

    private static MultiLayerNetwork network(final int[] layers)
    {
        final NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
            .seed(1)
            .dataType(DataType.FLOAT)
            .updater(new Sgd(0.01))
            .list();
        for (int l = 0; l + 2 < layers.length; l++)
        {
            list.layer(new DenseLayer.Builder().nIn(layers[l]).nOut(layers[l + 1]).activation(Activation.RELU).build());
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(layers[layers.length - 2])
            .nOut(layers[layers.length - 1]).activation(Activation.SOFTMAX).build());
        final MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }
}
