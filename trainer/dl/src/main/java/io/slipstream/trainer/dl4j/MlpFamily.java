package io.slipstream.trainer.dl4j;

import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.model.FitContext;
import io.slipstream.trainer.model.ClassifierFamily;
import io.slipstream.trainer.model.DataShape;
import io.slipstream.trainer.search.Distribution;

import java.util.List;
import java.util.Map;

/**
 * {@code mlp}: a feed-forward network (dense hidden layers, softmax output, cross-entropy) trained
 * data-parallel across the fit's group; see {@link NetworkParams} for its parameters. Unlabeled rows of
 * the training set are ignored.
 */
public final class MlpFamily implements ClassifierFamily<NetworkParams>
{
    public static final String NAME = "mlp";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public NetworkParams parameters(final Map<String, Object> setting, final DataShape shape)
    {
        final NetworkParams p = NetworkParams.from(NAME, setting, true);
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
            "hidden_layers", new Distribution.Choice(List.of(List.of(8), List.of(16), List.of(32, 16))),
            "activation", new Distribution.Choice(List.of("relu", "tanh")));
    }
}
