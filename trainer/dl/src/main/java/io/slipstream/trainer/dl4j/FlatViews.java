package io.slipstream.trainer.dl4j;

import io.slipstream.trainer.dp.TrainableNetwork;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a {@link TrainableNetwork} over a DL4J network keeps of it: its parameters and its gradient view, each as one
 * flat vector (DL4J keeps parameters as [n] or [1, n] and gradients as [1, n]; one shape for both, fixed once), and
 * the whole gradient view wrapped for the updater, used until this rank has run a backward pass itself (a rank
 * without data in a step). MultiLayerNetwork and ComputationGraph share no interface for the rest.
 */
abstract class FlatViews implements TrainableNetwork
{
    private final INDArray flatParams;
    private final INDArray flatGradient;
    private final Gradient wholeGradient;

    /**
     * @param params    the network's parameters ({@code params()}).
     * @param gradients its flattened gradient view, after {@code initGradientsView()}.
     */
    FlatViews(final INDArray params, final INDArray gradients)
    {
        flatParams = params.reshape(params.length());
        flatGradient = gradients.reshape(gradients.length());
        wholeGradient = new DefaultGradient(gradients);
    }

    /** Fails unless {@code params} of a network (named {@code what}) are there, i.e. it was initialised. */
    static INDArray initialised(final INDArray params, final String what)
    {
        if (params == null || params.isEmpty())
        {
            throw new IllegalArgumentException(what + " is not initialised: call " + what + ".init() first");
        }
        return params;
    }

    @Override
    public final INDArray params()
    {
        return flatParams;
    }

    @Override
    public final INDArray gradient()
    {
        return flatGradient;
    }

    /** The gradient to hand the updater: the network's last backward pass, or the whole view if there was none. */
    final Gradient forUpdater(final Gradient lastBackwardPass)
    {
        return lastBackwardPass == null ? wholeGradient : lastBackwardPass;
    }

    /** Parameters minus the update the updater left in the gradient view. */
    final void stepParameters()
    {
        flatParams.subi(flatGradient);
    }

    static INDArray stateOrNull(final INDArray updaterState)
    {
        return updaterState == null || updaterState.isEmpty() ? null : updaterState;
    }
}
