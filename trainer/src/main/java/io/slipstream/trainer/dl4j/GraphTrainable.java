package io.slipstream.trainer.dl4j;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** {@link TrainableNetwork} over a single-input, single-output {@code ComputationGraph}. */
public final class GraphTrainable implements TrainableNetwork
{
    private final ComputationGraph graph;
    private final ComputationGraphUpdater updater;
    private final LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();
    private final INDArray flatParams;
    private final INDArray flatGradient;
    private final Gradient wholeGradient;

    public GraphTrainable(final ComputationGraph graph)
    {
        if (graph.params() == null || graph.params().isEmpty())
        {
            throw new IllegalArgumentException("graph is not initialised: call graph.init() first");
        }
        if (graph.getNumInputArrays() != 1 || graph.getNumOutputArrays() != 1)
        {
            throw new IllegalArgumentException("graph has " + graph.getNumInputArrays() + " inputs and " +
                graph.getNumOutputArrays() + " outputs; data-parallel training supports one of each");
        }
        this.graph = graph;
        graph.initGradientsView();
        updater = graph.getUpdater(true);
        // DL4J keeps params as [n] or [1, n] and gradients as [1, n]: fix one flat shape for both, once.
        flatParams = graph.params().reshape(graph.params().length());
        flatGradient = graph.getFlattenedGradients().reshape(graph.getFlattenedGradients().length());
        // Used until this rank has run a backward pass itself (a rank without data in a step).
        wholeGradient = new DefaultGradient(graph.getFlattenedGradients());
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
        graph.setInputs(batch.getFeatures());
        graph.setLabels(batch.getLabels());
        graph.computeGradientAndScore();
        return graph.score();
    }

    @Override
    public void applyUpdate(final int globalBatchSize)
    {
        final int iteration = graph.getIterationCount();
        final Gradient gradient = graph.gradient();
        updater.update(gradient == null ? wholeGradient : gradient, iteration, graph.getEpochCount(), globalBatchSize, workspaces);
        flatParams.subi(flatGradient);
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

    @Override
    public ComputationGraph network()
    {
        return graph;
    }
}
