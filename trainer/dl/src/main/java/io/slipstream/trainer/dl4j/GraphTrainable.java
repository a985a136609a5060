package io.slipstream.trainer.dl4j;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** {@link TrainableNetwork} over a single-input, single-output {@code ComputationGraph}. */
public final class GraphTrainable extends FlatViews
{
    private final ComputationGraph graph;
    private final ComputationGraphUpdater updater;
    private final LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();

    public GraphTrainable(final ComputationGraph graph)
    {
        super(initialised(graph.params(), "graph"), gradientsView(graph));
        this.graph = graph;
        updater = graph.getUpdater(true);
    }

    private static INDArray gradientsView(final ComputationGraph graph)
    {
        if (graph.getNumInputArrays() != 1 || graph.getNumOutputArrays() != 1)
        {
            throw new IllegalArgumentException("graph has " + graph.getNumInputArrays() + " inputs and " +
                graph.getNumOutputArrays() + " outputs; data-parallel training supports one of each");
        }
        graph.initGradientsView();
        return graph.getFlattenedGradients();
    }

    @Override
    public INDArray updaterState()
    {
        return stateOrNull(updater.getStateViewArray());
    }

    @Override
    public double computeGradient(final DataSet batch)
    {
        graph.setInputs(batch.getFeatures());
        graph.setLabels(batch.getLabels());
        graph.computeGradientAndScore();
        return graph.score();
    }

    @Override
    public void applyUpdate(final int globalBatchSize)
    {
        final int iteration = graph.getIterationCount();
        updater.update(forUpdater(graph.gradient()), iteration, graph.getEpochCount(), globalBatchSize, workspaces);
        stepParameters();
        graph.getConfiguration().setIterationCount(iteration + 1);
    }

    @Override
    public int iteration()
    {
        return graph.getIterationCount();
    }

    @Override
    public void iteration(final int iteration)
    {
        graph.getConfiguration().setIterationCount(iteration);
    }

    @Override
    public int epoch()
    {
        return graph.getEpochCount();
    }

    @Override
    public void epoch(final int epoch)
    {
        graph.getConfiguration().setEpochCount(epoch);
    }

    @Override
    public INDArray output(final INDArray features)
    {
        return graph.outputSingle(false, features);
    }

    /** The DL4J network this adapter trains (for saving it, or for a caller\'s own evaluation). */
    public ComputationGraph network()
    {
        return graph;
    }
}
