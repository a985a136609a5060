package io.slipstream.trainer.dl4j;

import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * {@link TrainableNetwork} over a {@code MultiLayerNetwork}, using the calls that reproduce {@code fit()}
 * exactly in DL4J 1.0.0-M2.1 (listeners and constraints are not run).
 */
public final class MultiLayerTrainable implements TrainableNetwork
{
    private final MultiLayerNetwork net;
    private final Updater updater;
    private final LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();
    private final INDArray flatParams;
    private final INDArray flatGradient;
    private final Gradient wholeGradient;

    public MultiLayerTrainable(final MultiLayerNetwork net)
    {
        if (net.params() == null || net.params().isEmpty())
        {
            throw new IllegalArgumentException("network is not initialised: call net.init() first");
        }
        this.net = net;
        net.initGradientsView();
        updater = net.getUpdater(true);
        // DL4J keeps params as [n] or [1, n] and gradients as [1, n]: fix one flat shape for both, once.
        flatParams = net.params().reshape(net.params().length());
        flatGradient = net.getFlattenedGradients().reshape(net.getFlattenedGradients().length());
        // Used until this rank has run a backward pass itself (a rank without data in a step).
        wholeGradient = new DefaultGradient(net.getFlattenedGradients());
    }

    @Override
    public INDArray params()
    {
        return flatParams;
    }

    @Override
    public INDArray gradient()
    {
        return flatGradient;
    }

    @Override
    public INDArray updaterState()
    {
        final INDArray state = updater.getStateViewArray();
        return state == null || state.isEmpty() ? null : state;
    }

    @Override
    public double computeGradient(final DataSet batch)
    {
        net.setInput(batch.getFeatures());
        net.setLabels(batch.getLabels());
        net.computeGradientAndScore();
        return net.score();
    }

    @Override
    public void applyUpdate(final int globalBatchSize)
    {
        final int iteration = net.getIterationCount();
        final Gradient gradient = net.gradient();
        updater.update(net, gradient == null ? wholeGradient : gradient, iteration, net.getEpochCount(), globalBatchSize, workspaces);
        flatParams.subi(flatGradient);
        net.setIterationCount(iteration + 1);
    }

    @Override
    public int iteration()
    {
        return net.getIterationCount();
    }

    @Override
    public void iteration(final int iteration)
    {
        net.setIterationCount(iteration);
    }

    @Override
    public int epoch()
    {
        return net.getEpochCount();
    }

    @Override
    public void epoch(final int epoch)
    {
        net.setEpochCount(epoch);
    }

    @Override
    public INDArray output(final INDArray features)
    {
        return net.output(features, false);
    }

    @Override
    public MultiLayerNetwork network()
    {
        return net;
    }
}
