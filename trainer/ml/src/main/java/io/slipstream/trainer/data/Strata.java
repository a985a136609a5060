package io.slipstream.trainer.data;

/**
 * Row indices grouped by label, each group in ascending row order; unlabeled rows form their own stratum
 * (the last one) so splits keep the labeled/unlabeled proportions too.
 */
final class Strata
{
    final int[][] rows;

    private Strata(final int[][] rows)
    {
        this.rows = rows;
    }

    static Strata of(final int[] labels, final int numClasses)
    {
        final int[] counts = new int[numClasses + 1];
        for (final int y : labels)
        {
            counts[index(y, numClasses)]++;
        }
        final int[][] rows = new int[numClasses + 1][];
        for (int s = 0; s <= numClasses; s++)
        {
            rows[s] = new int[counts[s]];
        }
        final int[] fill = new int[numClasses + 1];
        for (int i = 0; i < labels.length; i++)
        {
            final int s = index(labels[i], numClasses);
            rows[s][fill[s]++] = i;
        }
        return new Strata(rows);
    }

    static int index(final int label, final int numClasses)
    {
        return label == Dataset.UNLABELED ? numClasses : label;
    }
}
