package io.slipstream.trainer.cluster;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * k-means hyperparameters with scikit-learn's names: {@code n_clusters} (8), {@code max_iter} (300),
 * {@code tol} (1e-4, relative to the mean per-feature variance of the data) and {@code n_init} (1:
 * k-means++ restarts, the lowest inertia wins).
 */
public record KMeansParams(int clusters, int maxIter, double tol, int nInit)
{
    public static final Set<String> NAMES = Set.of("n_clusters", "max_iter", "tol", "n_init");

    public static KMeansParams from(final Map<String, Object> params, final int rows)
    {
        for (final String key : params.keySet())
        {
            if (!NAMES.contains(key))
            {
                throw new IllegalArgumentException("kmeans has no parameter '" + key + "'; allowed: " +
                    String.join(", ", new TreeSet<>(NAMES)));
            }
        }
        final int k = intParam(params, "n_clusters", 8, 1);
        if (k > rows)
        {
            throw new IllegalArgumentException("n_clusters " + k + " exceeds the " + rows + " rows; use at most " +
                rows);
        }
        final Object tol = params.getOrDefault("tol", 1e-4);
        if (!(tol instanceof Number) || !(((Number)tol).doubleValue() >= 0.0))
        {
            throw new IllegalArgumentException("tol must be a number >= 0, got " + tol);
        }
        return new KMeansParams(k, intParam(params, "max_iter", 300, 1), ((Number)tol).doubleValue(),
            intParam(params, "n_init", 1, 1));
    }

    private static int intParam(final Map<String, Object> params, final String key, final int otherwise,
        final int min)
    {
        final Object value = params.getOrDefault(key, otherwise);
        if (!(value instanceof Integer || value instanceof Long) || ((Number)value).longValue() < min ||
            ((Number)value).longValue() > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException(key + " must be an integer >= " + min + ", got " + value);
        }
        return ((Number)value).intValue();
    }
}
