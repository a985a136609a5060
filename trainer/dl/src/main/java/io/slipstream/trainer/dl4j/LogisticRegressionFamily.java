package io.slipstream.trainer.dl4j;

import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.model.FitContext;
import io.slipstream.trainer.model.ModelFamily;

import java.util.Map;

/**
 * {@code logistic_regression}: multinomial logistic regression (one softmax layer, cross-entropy, optional
 * L2 penalty) trained by data-parallel gradient descent across the fit's group; parameters as
 * {@link NetworkParams} without the hidden layers.
 */
public final class LogisticRegressionFamily implements ModelFamily
{
    public static final String NAME = "logistic_regression";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public DeepModel fit(final Dataset train, final Map<String, Object> params, final FitContext context)
    {
        return NetworkFit.fit(NAME, NetworkParams.from(NAME, params, false), train, context);
    }
}
