package io.slipstream.api;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;

/**
 * A layer's dropout (or any element-wise {@link IDropout}: Gaussian dropout, alpha dropout, Gaussian noise) drawn
 * for the whole global batch, of which this rank keeps its own rows. ND4J's random ops give element i a value that
 * depends only on the generator's state and i, so when every rank starts a step from the same state
 * ({@link DataParallelNetwork#stepSeed}) and draws over an array of the global batch's shape and memory order, rank
 * r's rows get exactly the noise one process would give those rows of the whole batch, and every rank's generator
 * ends the step in the same state. The cost is the dropout op over the global rows instead of the local ones.
 *
 * <p>Installed for the length of a fit ({@link #install}) and removed after it, so the network's configuration
 * (what {@code ModelSerializer} writes) never names this class.
 */
final class GlobalBatchDropout implements IDropout
{
    private static final long serialVersionUID = 1L;

    private final IDropout delegate;
    private final transient GlobalBatch batch;

    GlobalBatchDropout(final IDropout delegate, final GlobalBatch batch)
    {
        this.delegate = delegate;
        this.batch = batch;
    }

    /** Undoes {@link #install}. */
    interface Installed extends AutoCloseable
    {
        @Override
        void close();
    }

    /** Wraps the dropout of every layer of {@code model} that has one; closing the result puts the originals back. */
    static Installed install(final Model model, final GlobalBatch batch)
    {
        final Layer[] layers = model instanceof MultiLayerNetwork ? ((MultiLayerNetwork)model).getLayers() :
            ((ComputationGraph)model).getLayers();
        final List<org.deeplearning4j.nn.conf.layers.Layer> wrapped = new ArrayList<>();
        final List<IDropout> originals = new ArrayList<>();
        for (final Layer layer : layers)
        {
            final org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            final IDropout dropout = conf.getIDropout();
            if (dropout != null && !(dropout instanceof GlobalBatchDropout))
            {
                wrapped.add(conf);
                originals.add(dropout);
                conf.setIDropout(new GlobalBatchDropout(dropout, batch));
            }
        }
        return () ->
        {
            for (int i = 0; i < wrapped.size(); i++)
            {
                wrapped.get(i).setIDropout(originals.get(i));
            }
        };
    }

    @Override
    public INDArray applyDropout(
        final INDArray input, final INDArray output, final int iteration, final int epoch,
        final LayerWorkspaceMgr workspaces)
    {
        if (!batch.shared())
        {
            return delegate.applyDropout(input, output, iteration, epoch, workspaces);
        }
        final long[] shape = globalShape(input);
        final INDArray globalInput = workspaces.create(ArrayType.INPUT, input.dataType(), shape, input.ordering());
        mine(globalInput).assign(input);
        final INDArray globalOutput =
            workspaces.createUninitialized(ArrayType.INPUT, input.dataType(), shape, input.ordering());
        final INDArray result = delegate.applyDropout(globalInput, globalOutput, iteration, epoch, workspaces);
        output.assign(mine(result));
        return output;
    }

    @Override
    public INDArray backprop(
        final INDArray gradAtOutput, final INDArray gradAtInput, final int iteration, final int epoch)
    {
        if (!batch.shared())
        {
            return delegate.backprop(gradAtOutput, gradAtInput, iteration, epoch);
        }
        final INDArray global =
            Nd4j.create(gradAtOutput.dataType(), globalShape(gradAtOutput), gradAtOutput.ordering());
        mine(global).assign(gradAtOutput);
        final INDArray result = delegate.backprop(global, global, iteration, epoch);
        gradAtInput.assign(mine(result));
        return gradAtInput;
    }

    private long[] globalShape(final INDArray local)
    {
        final long[] shape = local.shape().clone();
        shape[0] = batch.rows();
        return shape;
    }

    /** This rank's rows of a global-batch array. */
    private INDArray mine(final INDArray global)
    {
        final INDArrayIndex[] index = new INDArrayIndex[global.rank()];
        index[0] = NDArrayIndex.interval(batch.firstRow(), batch.firstRow() + batch.localRows());
        for (int d = 1; d < index.length; d++)
        {
            index[d] = NDArrayIndex.all();
        }
        return global.get(index);
    }

    @Override
    public void clear()
    {
        delegate.clear();
    }

    @Override
    public IDropout clone()
    {
        return new GlobalBatchDropout(delegate.clone(), batch);
    }
}
