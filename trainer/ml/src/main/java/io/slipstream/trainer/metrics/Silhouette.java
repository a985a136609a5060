package io.slipstream.trainer.metrics;

import java.util.Arrays;

/**
 * The mean silhouette coefficient of a clustering (scikit-learn's {@code silhouette_score}, Euclidean):
 * for each row, a = mean distance to the other rows of its cluster, b = the smallest mean distance to the
 * rows of another cluster, s = (b - a) / max(a, b), and 0 for a row alone in its cluster. O(n^2).
 */
public final class Silhouette
{
    private Silhouette()
    {
    }

    /** Needs at least 2 and at most n - 1 distinct clusters among {@code labels}, as scikit-learn does. */
    public static double score(final double[][] rows, final int[] labels, final int clusters)
    {
        final int n = rows.length;
        final int[] size = new int[clusters];
        for (final int l : labels)
        {
            size[l]++;
        }
        int used = 0;
        for (final int s : size)
        {
            used += s > 0 ? 1 : 0;
        }
        if (used < 2 || used > n - 1)
        {
            throw new IllegalArgumentException("silhouette needs 2.." + (n - 1) + " non-empty clusters, found " + used);
        }
        final double[] sums = new double[clusters];
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            Arrays.fill(sums, 0.0);
            final double[] x = rows[i];
            for (int j = 0; j < n; j++)
            {
                if (j != i)
                {
                    sums[labels[j]] += Math.sqrt(squaredDistance(x, rows[j]));
                }
            }
            final int own = labels[i];
            if (size[own] <= 1)
            {
                continue;
            }
            final double a = sums[own] / (size[own] - 1);
            double b = Double.POSITIVE_INFINITY;
            for (int c = 0; c < clusters; c++)
            {
                if (c != own && size[c] > 0)
                {
                    b = Math.min(b, sums[c] / size[c]);
                }
            }
            final double denominator = Math.max(a, b);
            total += denominator == 0.0 ? 0.0 : (b - a) / denominator;
        }
        return total / n;
    }

    public static double squaredDistance(final double[] a, final double[] b)
    {
        double sum = 0;
        for (int f = 0; f < a.length; f++)
        {
            final double d = a[f] - b[f];
            sum += d * d;
        }
        return sum;
    }
}
