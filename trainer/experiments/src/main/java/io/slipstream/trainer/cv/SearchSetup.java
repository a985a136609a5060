package io.slipstream.trainer.cv;

import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.data.Fold;
import io.slipstream.trainer.model.DataShape;
import io.slipstream.trainer.model.ModelFamily;
import io.slipstream.trainer.model.RunHooks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything a cross-validated search needs, identical on every rank: the family, its settings as the spec gave them
 * (each complete, fixed parameters merged in; kept for the tables) and as the family's typed parameters, the
 * training and test sets, the folds (row indices into {@code train}), the selection scorer, the job seed, a priority
 * per setting, where rank 0 saves the best model ({@code null}: do not save), and the hooks.
 */
public record SearchSetup<P>(ModelFamily<P> family, List<Map<String, Object>> settings, List<P> params,
    Dataset train, Dataset test, Fold[] folds, Scorer scorer, long seed, int[] fitPriority, ModelStore store,
    RunHooks hooks)
{
    public SearchSetup
    {
        if (settings.isEmpty())
        {
            throw new IllegalArgumentException("a search needs at least one setting");
        }
        if (params.size() != settings.size() || fitPriority.length != settings.size())
        {
            throw new IllegalArgumentException("need typed parameters and a priority per setting");
        }
        settings = List.copyOf(settings);
        params = List.copyOf(params);
    }

    /** Parses every setting once with {@code family}, for the shape of {@code train}. */
    public static <P> SearchSetup<P> of(final ModelFamily<P> family, final List<Map<String, Object>> settings,
        final Dataset train, final Dataset test, final Fold[] folds, final Scorer scorer, final long seed,
        final int[] fitPriority, final ModelStore store, final RunHooks hooks)
    {
        final DataShape shape = DataShape.of(train);
        final List<P> params = new ArrayList<>(settings.size());
        for (final Map<String, Object> setting : settings)
        {
            params.add(family.parameters(setting, shape));
        }
        return new SearchSetup<>(family, settings, params, train, test, folds, scorer, seed, fitPriority, store,
            hooks);
    }

    /** The scheduler's cost of one fold's fit of each setting, from the family's own cost model. */
    public double[] fitCost()
    {
        final DataShape shape = DataShape.of(train);
        final double[] cost = new double[params.size()];
        for (int s = 0; s < cost.length; s++)
        {
            cost[s] = family.cost(params.get(s), shape);
        }
        return cost;
    }
}
