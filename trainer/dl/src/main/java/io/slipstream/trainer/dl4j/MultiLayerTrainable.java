package io.slipstream.trainer.dl4j;

import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * {@link TrainableNetwork} over a {@code MultiLayerNetwork}, using the calls that reproduce {@code fit()}
 * exactly in DL4J 1.0.0-M2.1 (listeners and constraints are not run).
 */
public final class MultiLayerTrainable extends FlatViews
{
    private final MultiLayerNetwork net;
    private final Updater updater;
    private final LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();

    public MultiLayerTrainable(final MultiLayerNetwork net)
    {
        super(initialised(net.params(), "network"), gradientsView(net));
        this.net = net;
        updater = net.getUpdater(true);
    }

    private static INDArray gradientsView(final MultiLayerNetwork net)
    {
        net.initGradientsView();
        return net.getFlattenedGradients();
    }

    @Override
    public INDArray updaterState()
    {
        return stateOrNull(updater.getStateViewArray());
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
        updater.update(net, forUpdater(net.gradient()), iteration, net.getEpochCount(), globalBatchSize, workspaces);
        stepParameters();
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

    /** The DL4J network this adapter trains (for saving it, or for a caller\'s own evaluation). */
    public MultiLayerNetwork network()
    {
        return net;
    }
}
