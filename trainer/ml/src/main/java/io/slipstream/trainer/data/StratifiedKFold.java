package io.slipstream.trainer.data;

import java.util.SplittableRandom;

/**
 * Stratified k-fold cross-validation with scikit-learn's allocation: the sorted labels are dealt round-robin
 * to the folds to decide how many rows of each class every fold gets, then each class's rows (in row order,
 * or shuffled with the seed) fill folds 0, 1, ... in turn. Without shuffling the folds equal
 * scikit-learn's {@code StratifiedKFold(n_splits=k)}. Unlabeled rows are a stratum of their own.
 */
public final class StratifiedKFold
{
    private StratifiedKFold()
    {
    }

    public static Fold[] split(final int[] labels, final int numClasses, final int k, final boolean shuffle,
        final long seed)
    {
        if (k < 2)
        {
            throw new DataException("cross-validation needs at least 2 folds, got " + k);
        }
        if (k > labels.length)
        {
            throw new DataException("cannot make " + k + " folds from " + labels.length + " rows; use at most " +
                labels.length + " folds");
        }
        final Strata strata = Strata.of(labels, numClasses);
        final int s = strata.rows.length;
        int smallest = Integer.MAX_VALUE;
        for (int c = 0; c < numClasses; c++)
        {
            if (strata.rows[c].length > 0)
            {
                smallest = Math.min(smallest, strata.rows[c].length);
            }
        }
        if (smallest != Integer.MAX_VALUE && k > smallest)
        {
            throw new DataException(k + " folds but the smallest class has only " + smallest +
                " rows; use at most " + smallest + " folds");
        }

        // allocation[f][c]: rows of stratum c in fold f, from dealing the sorted strata round-robin.
        final int[][] allocation = new int[k][s];
        int position = 0;
        for (int c = 0; c < s; c++)
        {
            for (int i = 0; i < strata.rows[c].length; i++)
            {
                allocation[position % k][c]++;
                position++;
            }
        }
        final int[] foldOf = new int[labels.length];
        final int[] foldSize = new int[k];
        final SplittableRandom random = new SplittableRandom(seed);
        for (int c = 0; c < s; c++)
        {
            final int[] rows = strata.rows[c].clone();
            if (shuffle)
            {
                Shuffle.all(rows, random);
            }
            int next = 0;
            for (int f = 0; f < k; f++)
            {
                for (int j = 0; j < allocation[f][c]; j++)
                {
                    foldOf[rows[next++]] = f;
                }
                foldSize[f] += allocation[f][c];
            }
        }
        final Fold[] folds = new Fold[k];
        for (int f = 0; f < k; f++)
        {
            final int[] train = new int[labels.length - foldSize[f]];
            final int[] test = new int[foldSize[f]];
            int a = 0;
            int b = 0;
            for (int i = 0; i < labels.length; i++)
            {
                if (foldOf[i] == f)
                {
                    test[b++] = i;
                }
                else
                {
                    train[a++] = i;
                }
            }
            folds[f] = new Fold(train, test);
        }
        return folds;
    }

    /** The labels of {@code data}'s rows, in row order. */
    public static int[] labelsOf(final Dataset data)
    {
        final int[] labels = new int[data.size()];
        for (int i = 0; i < labels.length; i++)
        {
            labels[i] = data.label(i);
        }
        return labels;
    }
}
