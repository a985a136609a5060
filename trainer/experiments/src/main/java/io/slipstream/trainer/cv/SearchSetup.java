package io.slipstream.trainer.cv;

import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.data.Fold;
import io.slipstream.trainer.model.ModelFamily;
import io.slipstream.trainer.model.RunHooks;

import java.util.List;
import java.util.Map;

/**
 * Everything a cross-validated search needs, identical on every rank: the family and its settings (each
 * complete, fixed parameters merged in), the training and test sets, the folds (row indices into
 * {@code train}), the selection scorer, the job seed, a cost estimate and priority per setting, where rank 0
 * saves the best model ({@code null}: do not save), and the hooks. {@code baseline}, when not null, is
 * fitted from the best setting on the labeled training rows only and reported beside the test metrics
 * (self-training against its labeled-only base).
 */
public record SearchSetup(ModelFamily family, List<Map<String, Object>> settings, Dataset train, Dataset test,
    Fold[] folds, Scorer scorer, long seed, double[] fitCost, int[] fitPriority, ModelStore store, RunHooks hooks,
    Baseline baseline)
{
    public SearchSetup
    {
        if (settings.isEmpty())
        {
            throw new IllegalArgumentException("a search needs at least one setting");
        }
        if (fitCost.length != settings.size() || fitPriority.length != settings.size())
        {
            throw new IllegalArgumentException("need one cost and one priority per setting");
        }
        settings = List.copyOf(settings);
    }
}
