package io.slipstream.trainer.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Hides labels for semi-supervised experiments: keeps {@code ceil(fraction * n_c)} labels of each class
 * (at least one), chosen with the seed, and marks the other rows {@link Dataset#UNLABELED}.
 */
public final class LabelMask
{
    private LabelMask()
    {
    }

    public static Dataset keepFraction(final Dataset data, final double fraction, final long seed)
    {
        if (!(fraction > 0.0 && fraction <= 1.0))
        {
            throw new DataException("label fraction " + fraction + " must be in (0, 1]");
        }
        final int[] labels = StratifiedKFold.labelsOf(data);
        final Strata strata = Strata.of(labels, data.numClasses());
        final int[] masked = new int[labels.length];
        Arrays.fill(masked, Dataset.UNLABELED);
        final SplittableRandom random = new SplittableRandom(seed);
        for (int c = 0; c < data.numClasses(); c++)
        {
            final int[] rows = strata.rows[c].clone();
            if (rows.length == 0)
            {
                continue;
            }
            final int keep = Math.max(1, (int)Math.ceil(fraction * rows.length));
            Shuffle.partial(rows, keep, random);
            for (int i = 0; i < keep; i++)
            {
                masked[rows[i]] = c;
            }
        }
        return data.withLabels(masked);
    }
}
