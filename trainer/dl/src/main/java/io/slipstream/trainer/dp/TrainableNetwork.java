package io.slipstream.trainer.dp;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The few calls the data-parallel step needs from a DL4J network, so one trainer serves
 * {@code MultiLayerNetwork} and {@code ComputationGraph}. The flat parameter, gradient and updater-state
 * arrays are the network's own single buffers (views), never copies.
 */
public interface TrainableNetwork
{
    /** All parameters as one flat view. */
    INDArray params();

    /** All gradients as one flat view; after {@link #computeGradient} it holds the SUM over the batch. */
    INDArray gradient();

    /** The updater's state (e.g. Adam's moments) as one flat view, or {@code null} when it has none (SGD). */
    INDArray updaterState();

    /** Forward and backward pass on one local batch; returns the batch's mean loss. */
    double computeGradient(DataSet batch);

    /**
     * Turns the (globally summed) gradient into an update with the updater, dividing by {@code globalBatchSize},
     * subtracts it from the parameters and advances the iteration count (Adam's bias correction reads it).
     */
    void applyUpdate(int globalBatchSize);

    int iteration();

    void iteration(int iteration);

    int epoch();

    void epoch(int epoch);

    /** Network outputs (class probabilities for a softmax output) for a batch of features. */
    INDArray output(INDArray features);
}
