package io.slipstream.trainer.tree;

import io.slipstream.trainer.data.Dataset;

import java.util.Arrays;

/**
 * A training set laid out for CART: features column-major ({@code column[f][row]}), labels, and for every
 * feature the rows sorted by that feature, computed once and shared by every tree of a fit.
 */
public final class TrainingMatrix
{
    final int rows;
    final int features;
    final int classes;
    final double[][] column;
    final int[] label;
    final int[][] sorted;

    private TrainingMatrix(final int rows, final int features, final int classes, final double[][] column,
        final int[] label, final int[][] sorted)
    {
        this.rows = rows;
        this.features = features;
        this.classes = classes;
        this.column = column;
        this.label = label;
        this.sorted = sorted;
    }

    /** Builds the matrix from the labeled rows of {@code data}; unlabeled rows are left out. */
    public static TrainingMatrix of(final Dataset data)
    {
        int n = 0;
        for (int i = 0; i < data.size(); i++)
        {
            n += data.label(i) == Dataset.UNLABELED ? 0 : 1;
        }
        if (n == 0)
        {
            throw new IllegalArgumentException("cannot grow a tree without labeled rows");
        }
        final int f = data.numFeatures();
        final double[][] column = new double[f][n];
        final int[] label = new int[n];
        for (int i = 0, r = 0; i < data.size(); i++)
        {
            if (data.label(i) == Dataset.UNLABELED)
            {
                continue;
            }
            final double[] row = data.row(i);
            for (int j = 0; j < f; j++)
            {
                column[j][r] = row[j];
            }
            label[r++] = data.label(i);
        }
        final int[][] sorted = new int[f][];
        for (int j = 0; j < f; j++)
        {
            sorted[j] = argsort(column[j]);
        }
        return new TrainingMatrix(n, f, data.numClasses(), column, label, sorted);
    }

    public int rows()
    {
        return rows;
    }

    public int features()
    {
        return features;
    }

    public int classes()
    {
        return classes;
    }

    /** Row indices ordered by value, ties by row (a stable sort on primitive keys). */
    private static int[] argsort(final double[] values)
    {
        final int n = values.length;
        final double[] distinct = values.clone();
        Arrays.sort(distinct);
        // Pack (position of the value among the sorted values, row) into a long and sort those.
        final long[] keyed = new long[n];
        for (int i = 0; i < n; i++)
        {
            keyed[i] = ((long)lowerBound(distinct, values[i]) << 32) | i;
        }
        Arrays.sort(keyed);
        final int[] order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = (int)keyed[i];
        }
        return order;
    }

    private static int lowerBound(final double[] sorted, final double value)
    {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi)
        {
            final int mid = (lo + hi) >>> 1;
            if (Double.compare(sorted[mid], value) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }
}
