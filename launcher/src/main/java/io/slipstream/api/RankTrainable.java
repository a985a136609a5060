package io.slipstream.api;

import io.slipstream.trainer.dp.TrainableNetwork;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One rank's view of a network whose gradient is summed over the ranks' shares of a global batch. Everything is the
 * wrapped network's, except for batch normalisation's running mean and variance: DL4J moves them by a gradient that is
 * not divided by the batch size, so a plain sum over N ranks would move them N times too far. Each rank scales its
 * share by its rows over the global rows, so the sum is the rows-weighted mean of the ranks' moves (exactly the
 * global batch's for the mean; for the variance, the mean of the ranks' variances). The normalisation itself uses
 * each rank's own batch statistics, as DDP without SyncBatchNorm does.
 */
final class RankTrainable implements TrainableNetwork
{
    private final TrainableNetwork net;
    private final GlobalBatch batch;
    private final List<INDArray> runningStatistics = new ArrayList<>();

    RankTrainable(final TrainableNetwork net, final Model model, final GlobalBatch batch)
    {
        this.net = net;
        this.batch = batch;
        final Layer[] layers = model instanceof MultiLayerNetwork ? ((MultiLayerNetwork)model).getLayers() :
            ((ComputationGraph)model).getLayers();
        for (final Layer layer : layers)
        {
            if (layer instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization)
            {
                final Map<String, INDArray> views = layer.conf().getLayer().initializer()
                    .getGradientsFromFlattened(layer.conf(), layer.getGradientsViewArray());
                for (final String name : new String[]{BatchNormalizationParamInitializer.GLOBAL_MEAN,
                    BatchNormalizationParamInitializer.GLOBAL_VAR, BatchNormalizationParamInitializer.GLOBAL_LOG_STD})
                {
                    if (views.containsKey(name))
                    {
                        runningStatistics.add(views.get(name));
                    }
                }
            }
        }
    }

    @Override
    public INDArray params()
    {
        return net.params();
    }

    @Override
    public INDArray gradient()
    {
        return net.gradient();
    }

    @Override
    public INDArray updaterState()
    {
        return net.updaterState();
    }

    @Override
    public double computeGradient(final DataSet data)
    {
        final double loss = net.computeGradient(data);
        if (batch.shared())
        {
            final double share = (double)batch.localRows() / batch.rows();
            for (final INDArray view : runningStatistics)
            {
                view.muli(share);
            }
        }
        return loss;
    }

    @Override
    public void applyUpdate(final int globalBatchSize)
    {
        net.applyUpdate(globalBatchSize);
    }

    @Override
    public int iteration()
    {
        return net.iteration();
    }

    @Override
    public void iteration(final int iteration)
    {
        net.iteration(iteration);
    }

    @Override
    public int epoch()
    {
        return net.epoch();
    }

    @Override
    public void epoch(final int epoch)
    {
        net.epoch(epoch);
    }

    @Override
    public INDArray output(final INDArray features)
    {
        return net.output(features);
    }
}
