package io.slipstream.trainer.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Row indices of a train/test split, each in ascending order. {@link #stratified} keeps every class's
 * share in both parts (largest-remainder allocation of the test rows), seeded and deterministic.
 */
public record TrainTestSplit(int[] train, int[] test)
{
    /**
     * Splits {@code data} so that {@code ceil(testFraction * size)} rows go to the test part, each class
     * (and the unlabeled rows) in proportion.
     */
    public static TrainTestSplit stratified(final Dataset data, final double testFraction, final long seed)
    {
        final int n = data.size();
        if (!(testFraction > 0.0 && testFraction < 1.0))
        {
            throw new DataException("test fraction " + testFraction + " must be between 0 and 1 (exclusive)");
        }
        final int testCount = (int)Math.ceil(testFraction * n);
        if (testCount >= n)
        {
            throw new DataException("test fraction " + testFraction + " leaves no training rows out of " + n +
                "; use a smaller fraction or more data");
        }
        final int[] labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = data.label(i);
        }
        final Strata strata = Strata.of(labels, data.numClasses());
        final int s = strata.rows.length;
        final int[] take = new int[s];
        final double[] remainder = new double[s];
        int assigned = 0;
        for (int c = 0; c < s; c++)
        {
            final double exact = (double)strata.rows[c].length * testCount / n;
            take[c] = (int)Math.floor(exact);
            remainder[c] = exact - take[c];
            assigned += take[c];
        }
        while (assigned < testCount)
        {
            int best = -1;
            for (int c = 0; c < s; c++)
            {
                if (take[c] < strata.rows[c].length && (best < 0 || remainder[c] > remainder[best]))
                {
                    best = c;
                }
            }
            take[best]++;
            remainder[best] = -1.0;
            assigned++;
        }

        final SplittableRandom random = new SplittableRandom(seed);
        final boolean[] isTest = new boolean[n];
        for (int c = 0; c < s; c++)
        {
            final int[] rows = strata.rows[c].clone();
            Shuffle.partial(rows, take[c], random);
            for (int i = 0; i < take[c]; i++)
            {
                isTest[rows[i]] = true;
            }
        }
        final int[] train = new int[n - testCount];
        final int[] test = new int[testCount];
        int a = 0;
        int b = 0;
        for (int i = 0; i < n; i++)
        {
            if (isTest[i])
            {
                test[b++] = i;
            }
            else
            {
                train[a++] = i;
            }
        }
        return new TrainTestSplit(train, test);
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof TrainTestSplit && Arrays.equals(((TrainTestSplit)o).train, train) &&
            Arrays.equals(((TrainTestSplit)o).test, test);
    }

    @Override
    public int hashCode()
    {
        return 31 * Arrays.hashCode(train) + Arrays.hashCode(test);
    }

    @Override
    public String toString()
    {
        return "TrainTestSplit[train=" + train.length + " rows, test=" + test.length + " rows]";
    }
}
