package io.slipstream.trainer.forest;

import io.slipstream.trainer.tree.MaxFeatures;
import io.slipstream.trainer.tree.TreeParams;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A random forest's hyperparameters with scikit-learn's names, defaults and meanings:
 * {@code n_estimators} (100), {@code max_depth} (null = unlimited), {@code min_samples_split} (2; an int
 * count or a float fraction of the rows), {@code min_samples_leaf} (1; int or float fraction),
 * {@code max_features} ("sqrt"; "log2", int, float fraction, null = all) and {@code bootstrap} (true).
 */
public record RandomForestParams(int nEstimators, boolean bootstrap, int maxDepth, CountOrFraction minSamplesSplit,
    CountOrFraction minSamplesLeaf, int maxFeatures)
{
    public static final Set<String> NAMES = Set.of(
        "n_estimators", "max_depth", "min_samples_split", "min_samples_leaf", "max_features", "bootstrap");

    /**
     * A count, or a fraction in (0, 1] of the rows a fit trains on (scikit-learn's rule: {@code ceil(fraction *
     * rows)}), resolved per fit since each fold has its own row count.
     */
    public record CountOrFraction(int count, double fraction)
    {
        public int resolve(final int rows, final int min)
        {
            return fraction > 0 ? Math.max(min, (int)Math.ceil(fraction * rows)) : count;
        }
    }

    /** Parses {@code params} for data of {@code features} features. */
    public static RandomForestParams from(final Map<String, Object> params, final int features)
    {
        for (final String key : params.keySet())
        {
            if (!NAMES.contains(key))
            {
                throw new IllegalArgumentException("random_forest has no parameter '" + key + "'; allowed: " +
                    String.join(", ", new TreeSet<>(NAMES)));
            }
        }
        final int nEstimators = positiveInt(params, "n_estimators", 100, 1);
        final Object depth = params.get("max_depth");
        if (depth instanceof String)
        {
            throw new IllegalArgumentException("max_depth must be an integer >= 1 or null (unlimited), got '" + depth +
                "'; write null (or ~) in YAML for no limit");
        }
        final int maxDepth = depth == null ? Integer.MAX_VALUE : positiveInt(params, "max_depth", 0, 1);
        final CountOrFraction minSplit = countOrFraction(params, "min_samples_split", 2, 2);
        final CountOrFraction minLeaf = countOrFraction(params, "min_samples_leaf", 1, 1);
        final int maxFeatures = MaxFeatures.resolve(params.getOrDefault("max_features", "sqrt"), Math.max(1, features));
        final Object bootstrap = params.getOrDefault("bootstrap", Boolean.TRUE);
        if (!(bootstrap instanceof Boolean))
        {
            throw new IllegalArgumentException("bootstrap must be true or false, got " + bootstrap);
        }
        return new RandomForestParams(nEstimators, (Boolean)bootstrap, maxDepth, minSplit, minLeaf, maxFeatures);
    }

    /** The growth limits of each tree of a fit on {@code rows} rows. */
    public TreeParams tree(final int rows)
    {
        return new TreeParams(maxDepth, minSamplesSplit.resolve(rows, 2), minSamplesLeaf.resolve(rows, 1), maxFeatures);
    }

    private static int positiveInt(final Map<String, Object> params, final String key, final int otherwise,
        final int min)
    {
        final Object value = params.get(key);
        if (value == null)
        {
            return otherwise;
        }
        if (!(value instanceof Integer || value instanceof Long) || ((Number)value).longValue() < min ||
            ((Number)value).longValue() > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException(key + " must be an integer >= " + min + ", got " + value);
        }
        return ((Number)value).intValue();
    }

    private static CountOrFraction countOrFraction(final Map<String, Object> params, final String key,
        final int otherwise, final int min)
    {
        final Object value = params.get(key);
        if (value == null)
        {
            return new CountOrFraction(otherwise, 0);
        }
        if (value instanceof Integer || value instanceof Long)
        {
            return new CountOrFraction(positiveInt(params, key, otherwise, min), 0);
        }
        if (value instanceof Number)
        {
            final double fraction = ((Number)value).doubleValue();
            if (!(fraction > 0.0 && fraction <= 1.0))
            {
                throw new IllegalArgumentException(key + " as a fraction must be in (0, 1], got " + fraction);
            }
            return new CountOrFraction(0, fraction);
        }
        throw new IllegalArgumentException(key + " must be an integer >= " + min + " or a fraction in (0, 1], got " +
            value);
    }
}
