package io.slipstream.trainer.dl4j;

import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.model.FitContext;
import io.slipstream.trainer.model.ModelFamily;

import java.util.Map;

/**
 * {@code mlp}: a feed-forward network (dense hidden layers, softmax output, cross-entropy) trained
 * data-parallel across the fit's group; see {@link NetworkParams} for its parameters. Unlabeled rows of
 * the training set are ignored.
 */
public final class MlpFamily implements ModelFamily
{
    public static final String NAME = "mlp";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public DeepModel fit(final Dataset train, final Map<String, Object> params, final FitContext context)
    {
        return NetworkFit.fit(NAME, NetworkParams.from(NAME, params, true), train, context);
    }
}
