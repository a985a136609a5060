package io.slipstream.trainer.dl4j;

import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.model.FitContext;
import io.slipstream.trainer.model.ClassifierFamily;
import io.slipstream.trainer.model.DataShape;
import io.slipstream.trainer.search.Distribution;

import java.util.List;
import java.util.Map;

/**
 * {@code logistic_regression}: multinomial logistic regression (one softmax layer, cross-entropy, optional
 * L2 penalty) trained by data-parallel gradient descent across the fit's group; parameters as
 * {@link NetworkParams} without the hidden layers.
 */
public final class LogisticRegressionFamily implements ClassifierFamily<NetworkParams>
{
    public static final String NAME = "logistic_regression";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public NetworkParams parameters(final Map<String, Object> setting, final DataShape shape)
    {
        final NetworkParams p = NetworkParams.from(NAME, setting, false);
        p.checkBatch(NAME, shape.rows());
        return p;
    }

    @Override
    public DeepModel fit(final Dataset train, final NetworkParams params, final FitContext context)
    {
        return NetworkFit.fit(NAME, params, train, context);
    }

    @Override
    public double cost(final NetworkParams params, final DataShape shape)
    {
        return params.cost(shape.rows(), shape.features(), shape.classes());
    }

    @Override
    public Map<String, Distribution> autoSpace()
    {
        return Map.of(
            "learning_rate", new Distribution.Range(1e-3, 1e-1, true, false),
            "l2", new Distribution.Choice(List.of(0.0, 1e-4, 1e-3, 1e-2)));
    }
}
