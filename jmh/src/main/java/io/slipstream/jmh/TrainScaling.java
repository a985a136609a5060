package io.slipstream.jmh;

import io.slipstream.comm.ThreadRanks;
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

import java.time.Duration;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Data-parallel scaling of a compute-bound MLP (784-1024-1024-10, synthetic data, one ND4J thread per
 * rank): samples/s of N ranks (threads of this JVM over comm's real world) against 1 rank, and the share
 * of step time spent in communication. Not a JMH benchmark: whole training steps, timed after warm-up.
 *
 * <pre>java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp ... io.slipstream.jmh.TrainScaling [ranks] [steps] [batch]</pre>
 */
public final class TrainScaling
{
    private static final int WARMUP = 3;

    private TrainScaling()
    {
    }

    public static void main(final String[] args)
    {
        final int ranks = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        final int steps = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        final int batch = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        ComputeThreads.apply(1);
        final double one = run(1, steps, batch);
        final double many = run(ranks, steps, batch);
        System.out.printf(Locale.ROOT, "speed-up of %d ranks over 1: %.2fx%n", ranks, many / one);
    }

    private static double run(final int ranks, final int steps, final int batch)
    {
        final double[] result = new double[2];
        ThreadRanks.run(ranks, UnaryOperator.identity(), Duration.ofMinutes(10), (comm) ->
        {
            final MultiLayerNetwork net = network();
            final DataParallelTrainer trainer =
                new DataParallelTrainer(comm, new MultiLayerTrainable(net), DataParallelOptions.DEFAULT);
            trainer.synchronizeFrom(0);
            final INDArray x = Nd4j.rand(DataType.FLOAT, batch, 784);
            final INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 10);
            for (int i = 0; i < batch; i++)
            {
                y.putScalar(i, (i + comm.rank()) % 10, 1.0);
            }
            final DataSet[] micro = {new DataSet(x, y)};
            long comms = 0;
            long start = 0;
            for (int s = 0; s < WARMUP + steps; s++)
            {
                if (s == WARMUP)
                {
                    comm.barrier();
                    start = System.nanoTime();
                    comms = 0;
                }
                trainer.step(micro, false);
                comms += trainer.lastCommNanos();
            }
            comm.barrier();
            final long elapsed = System.nanoTime() - start;
            if (comm.rank() == 0)
            {
                result[0] = (double)steps * batch * comm.size() * 1e9 / elapsed;
                result[1] = (double)comms / elapsed;
            }
        });
        System.out.printf(Locale.ROOT, "%d rank(s): %.0f samples/s, %.1f%% of step time in communication%n",
            ranks, result[0], 100 * result[1]);
        return result[0];
    }

    private static MultiLayerNetwork network()
    {
        final MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
            .seed(1)
            .dataType(DataType.FLOAT)
            .updater(new Sgd(0.01))
            .list()
            .layer(new DenseLayer.Builder().nIn(784).nOut(1024).activation(Activation.RELU).build())
            .layer(new DenseLayer.Builder().nIn(1024).nOut(1024).activation(Activation.RELU).build())
            .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(1024).nOut(10)
                .activation(Activation.SOFTMAX).build())
            .build());
        net.init();
        return net;
    }
}
