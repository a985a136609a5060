package io.slipstream.trainer.metrics;

/**
 * Agreement of two labelings corrected for chance (scikit-learn's {@code adjusted_rand_score}): 1 for the
 * same partition whatever the label names, about 0 for independent ones. Rows with a negative label in
 * either labeling are skipped.
 */
public final class AdjustedRandIndex
{
    private AdjustedRandIndex()
    {
    }

    public static double score(final int[] a, final int[] b)
    {
        if (a.length != b.length)
        {
            throw new IllegalArgumentException("labelings have " + a.length + " and " + b.length + " rows");
        }
        int ka = 0;
        int kb = 0;
        for (int i = 0; i < a.length; i++)
        {
            ka = Math.max(ka, a[i] + 1);
            kb = Math.max(kb, b[i] + 1);
        }
        final long[] table = new long[ka * kb];
        final long[] rows = new long[ka];
        final long[] cols = new long[kb];
        long n = 0;
        for (int i = 0; i < a.length; i++)
        {
            if (a[i] < 0 || b[i] < 0)
            {
                continue;
            }
            table[a[i] * kb + b[i]]++;
            rows[a[i]]++;
            cols[b[i]]++;
            n++;
        }
        double index = 0;
        for (final long c : table)
        {
            index += pairs(c);
        }
        double sumRows = 0;
        for (final long r : rows)
        {
            sumRows += pairs(r);
        }
        double sumCols = 0;
        for (final long c : cols)
        {
            sumCols += pairs(c);
        }
        final double expected = sumRows * sumCols / Math.max(1.0, pairs(n));
        final double max = (sumRows + sumCols) / 2;
        if (max == expected)
        {
            // Both labelings put everything in one cluster (or each row alone): identical partitions.
            return 1.0;
        }
        return (index - expected) / (max - expected);
    }

    private static double pairs(final long count)
    {
        return count * (count - 1) / 2.0;
    }
}
