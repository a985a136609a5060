package io.slipstream.trainer.semi;

import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.data.Seeds;
import io.slipstream.trainer.model.FitContext;
import io.slipstream.trainer.model.Model;
import io.slipstream.trainer.model.ModelFamily;

import java.util.Map;
import java.util.function.Function;

/**
 * {@code self_training} (scikit-learn's {@code SelfTrainingClassifier}): fit the base family on the labeled
 * rows, give every unlabeled row whose highest predicted probability is above the threshold that class as a
 * pseudo-label, and repeat until no row is added, none is left, or {@code max_iter} rounds; then fit the
 * base family once more on every labeled row. Round i fits with the seed derived from (fit seed, i).
 * The base family runs on the same group, so a distributed base stays distributed.
 */
public final class SelfTrainingFamily implements ModelFamily
{
    public static final String NAME = "self_training";

    private final Function<String, ModelFamily> families;

    /** {@code families} resolves the base family's name (and fails with a clear message if it is unknown). */
    public SelfTrainingFamily(final Function<String, ModelFamily> families)
    {
        this.families = families;
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public Model fit(final Dataset train, final Map<String, Object> params, final FitContext context)
    {
        final SelfTrainingParams p = SelfTrainingParams.from(params);
        if (p.base().equals(NAME))
        {
            throw new IllegalArgumentException("self_training cannot wrap itself; choose a supervised base family");
        }
        final ModelFamily base = families.apply(p.base());
        final int n = train.size();
        final int[] labels = new int[n];
        int labeled = 0;
        for (int i = 0; i < n; i++)
        {
            labels[i] = train.label(i);
            labeled += labels[i] == Dataset.UNLABELED ? 0 : 1;
        }
        if (labeled == 0)
        {
            throw new IllegalArgumentException("self_training needs at least one labeled row");
        }
        final int initiallyLabeled = labeled;
        int iteration = 0;
        while (iteration < p.maxIter() && labeled < n)
        {
            final Model model = base.fit(labeledRows(train, labels), p.baseParams(),
                context.withSeed(Seeds.derive(context.seed(), iteration)));
            iteration++;
            final int[] unlabeled = rowsWith(labels, true);
            final double[][] proba = model.predictProba(train.subset(unlabeled));
            int added = 0;
            for (int j = 0; j < unlabeled.length; j++)
            {
                int best = 0;
                for (int c = 1; c < proba[j].length; c++)
                {
                    if (proba[j][c] > proba[j][best])
                    {
                        best = c;
                    }
                }
                if (proba[j][best] > p.threshold())
                {
                    labels[unlabeled[j]] = best;
                    added++;
                }
            }
            labeled += added;
            if (added == 0)
            {
                break;
            }
        }
        final Model finalModel = base.fit(labeledRows(train, labels), p.baseParams(),
            context.withSeed(Seeds.derive(context.seed(), iteration)));
        return new SelfTrainingModel(finalModel, iteration, labeled - initiallyLabeled, initiallyLabeled);
    }

    private static Dataset labeledRows(final Dataset train, final int[] labels)
    {
        return train.withLabels(labels).subset(rowsWith(labels, false));
    }

    private static int[] rowsWith(final int[] labels, final boolean unlabeled)
    {
        int count = 0;
        for (final int y : labels)
        {
            count += (y == Dataset.UNLABELED) == unlabeled ? 1 : 0;
        }
        final int[] rows = new int[count];
        for (int i = 0, k = 0; i < labels.length; i++)
        {
            if ((labels[i] == Dataset.UNLABELED) == unlabeled)
            {
                rows[k++] = i;
            }
        }
        return rows;
    }
}
