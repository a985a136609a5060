package com.example;

import io.slipstream.api.DataParallelNetwork;
import io.slipstream.api.Slipstream;
import io.slipstream.api.SlipstreamJob;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A small convolutional network with dropout, trained data-parallel on every rank the job has. Start it with
 * {@code launcher/bin/slipstream local -n 2 --classpath examples/java/target/classes --main
 * com.example.ConvNetTraining} (or under {@code srun}, see slurm/user-jar.sbatch). Argument: epochs (default 4).
 */
public final class ConvNetTraining
{
    private ConvNetTraining()
    {
    }

    public static void main(final String[] args)
    {
        final int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        final MultiLayerNetwork net = new MultiLayerNetwork(configuration());
        net.init();
        final DataSetIterator train = SyntheticImages.iterator(960, 32, 1);
        final DataSetIterator validation = SyntheticImages.iterator(160, 32, 2);
        final DataSetIterator test = SyntheticImages.iterator(320, 64, 3);

        try (SlipstreamJob job = Slipstream.join())
        {
            final DataParallelNetwork dp = job.train(net).checkpointEvery(10).earlyStopping(validation, 2);
            dp.fit(train, epochs);
            final Evaluation evaluation = dp.evaluate(test);
            if (job.rank() == 0)
            {
                System.out.println(evaluation.stats());
            }
            System.out.println("rank " + job.rank() + " accuracy " + evaluation.accuracy() + " parameters sha256 " +
                dp.parameterDigest());
        }
    }

    /** Plain DL4J: convolution, pooling, a dense layer with dropout, softmax. */
    static MultiLayerConfiguration configuration()
    {
        return new NeuralNetConfiguration.Builder()
            .seed(12345)
            .dataType(DataType.FLOAT)
            .updater(new Adam(0.005))
            .list()
            .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.RELU).build())
            .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
            .layer(new DenseLayer.Builder().nOut(32).activation(Activation.RELU).dropOut(0.5).build())
            .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(SyntheticImages.CLASSES)
                .activation(Activation.SOFTMAX).build())
            .setInputType(InputType.convolutionalFlat(SyntheticImages.SIDE, SyntheticImages.SIDE, 1))
            .build();
    }
}
