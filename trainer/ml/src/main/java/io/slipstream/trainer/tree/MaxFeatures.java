package io.slipstream.trainer.tree;

/**
 * scikit-learn's {@code max_features}: how many features each split considers. {@code "sqrt"} and
 * {@code "log2"} of the feature count, an int count, a float fraction of the features, or null for all;
 * never below 1.
 */
public final class MaxFeatures
{
    private MaxFeatures()
    {
    }

    /** Resolves {@code value} (String, Integer/Long, Double or null) for {@code features} features. */
    public static int resolve(final Object value, final int features)
    {
        if (value == null)
        {
            return features;
        }
        if (value instanceof String)
        {
            switch ((String)value)
            {
                case "sqrt":
                    return Math.max(1, (int)Math.sqrt(features));
                case "log2":
                    return Math.max(1, (int)(Math.log(features) / Math.log(2)));
                default:
                    throw new IllegalArgumentException("max_features '" + value +
                        "' is not allowed; use sqrt, log2, an int, a float in (0, 1] or null");
            }
        }
        if (value instanceof Integer || value instanceof Long)
        {
            final long count = ((Number)value).longValue();
            if (count < 1 || count > features)
            {
                throw new IllegalArgumentException("max_features " + count + " is out of range; allowed 1.." +
                    features + " for " + features + " features");
            }
            return (int)count;
        }
        if (value instanceof Number)
        {
            final double fraction = ((Number)value).doubleValue();
            if (!(fraction > 0.0 && fraction <= 1.0))
            {
                throw new IllegalArgumentException("max_features " + fraction +
                    " is out of range; a fraction must be in (0, 1]");
            }
            return Math.max(1, (int)(fraction * features));
        }
        throw new IllegalArgumentException("max_features " + value +
            " is not allowed; use sqrt, log2, an int, a float in (0, 1] or null");
    }
}
