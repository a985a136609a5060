package io.slipstream.launcher.train;

import io.slipstream.launcher.experiment.ModelFamilies;
import io.slipstream.trainer.dl4j.LogisticRegressionFamily;
import io.slipstream.trainer.dl4j.MlpFamily;
import io.slipstream.trainer.dl4j.NetworkParams;
import io.slipstream.trainer.search.Distribution;

import java.util.List;
import java.util.Map;

/**
 * The DL4J families' entries for the experiment registry: {@code mlp} and {@code logistic_regression},
 * each with its parameter check, a default search space for {@code search.strategy: auto} and a cost
 * estimate (multiply-adds per epoch times epochs) for the scheduler.
 */
public final class NetworkFamilies
{
    private NetworkFamilies()
    {
    }

    /** {@code base} plus mlp and logistic_regression. */
    public static ModelFamilies register(final ModelFamilies base)
    {
        return base
            .with(MlpFamily.NAME, new ModelFamilies.Entry(new MlpFamily(), true, Map.of(
                "learning_rate", new Distribution.Range(1e-3, 1e-1, true, false),
                "hidden_layers", new Distribution.Choice(List.of(List.of(8), List.of(16), List.of(32, 16))),
                "activation", new Distribution.Choice(List.of("relu", "tanh"))),
                (params, rows, features) -> cost(MlpFamily.NAME, params, rows, features, true),
                (params) -> NetworkParams.from(MlpFamily.NAME, params, true)))
            .with(LogisticRegressionFamily.NAME, new ModelFamilies.Entry(new LogisticRegressionFamily(), true, Map.of(
                "learning_rate", new Distribution.Range(1e-3, 1e-1, true, false),
                "l2", new Distribution.Choice(List.of(0.0, 1e-4, 1e-3, 1e-2))),
                (params, rows, features) -> cost(LogisticRegressionFamily.NAME, params, rows, features, false),
                (params) -> NetworkParams.from(LogisticRegressionFamily.NAME, params, false)));
    }

    private static double cost(
        final String family, final Map<String, Object> params, final int rows, final int features, final boolean hidden)
    {
        final NetworkParams p = NetworkParams.from(family, params, hidden);
        double weights = 0;
        int in = Math.max(1, features);
        for (final int width : p.hiddenLayers())
        {
            weights += (double)in * width;
            in = width;
        }
        weights += in * 3.0;
        return weights * Math.max(1, rows) * p.epochs();
    }
}
