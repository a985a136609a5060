package io.slipstream.trainer.semi;

import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.data.Seeds;
import io.slipstream.trainer.model.FitContext;
import io.slipstream.trainer.model.Classifier;
import io.slipstream.trainer.model.ClassifierFamily;
import io.slipstream.trainer.model.ComparedToBaseline;
import io.slipstream.trainer.model.DataShape;
import io.slipstream.trainer.search.Distribution;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code self_training} (scikit-learn's {@code SelfTrainingClassifier}): fit the base family on the labeled
 * rows, give every unlabeled row whose highest predicted probability is above the threshold that class as a
 * pseudo-label, and repeat until no row is added, none is left, or {@code max_iter} rounds; then fit the
 * base family once more on every labeled row. Round i fits with the seed derived from (fit seed, i).
 * The base family runs on the same group, so a distributed base stays distributed.
 */
public final class SelfTrainingFamily implements ClassifierFamily<SelfTrainingParams>,
    ComparedToBaseline<SelfTrainingParams>
{
    public static final String NAME = "self_training";

    private final Function<String, ClassifierFamily<?>> families;

    /** {@code families} resolves the base family's name (and fails with a clear message if it is unknown). */
    public SelfTrainingFamily(final Function<String, ClassifierFamily<?>> families)
    {
        this.families = families;
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public SelfTrainingParams parameters(final Map<String, Object> setting, final DataShape shape)
    {
        return SelfTrainingParams.from(setting, shape, families);
    }

    /** The base family's cost times the rounds that usually run (at most 3 of max_iter). */
    @Override
    public double cost(final SelfTrainingParams p, final DataShape shape)
    {
        return p.base().cost(shape) * Math.min(3, p.maxIter());
    }

    @Override
    public Map<String, Distribution> autoSpace()
    {
        return Map.of("threshold", new Distribution.Choice(List.of(0.6, 0.7, 0.8, 0.9, 0.95)));
    }

    /** The base family alone, on the labeled rows: what self-training is measured against. */
    @Override
    public Classifier fitBaseline(final SelfTrainingParams p, final Dataset labeledTrain, final FitContext context)
    {
        return p.base().fit(labeledTrain, context);
    }

    @Override
    public SelfTrainingModel fit(final Dataset train, final SelfTrainingParams p, final FitContext context)
    {
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
            final Classifier model = p.base().fit(train.withLabels(labels).labeledRows(),
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
        final Classifier finalModel = p.base().fit(train.withLabels(labels).labeledRows(),
            context.withSeed(Seeds.derive(context.seed(), iteration)));
        return new SelfTrainingModel(finalModel, iteration, labeled - initiallyLabeled, initiallyLabeled);
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
