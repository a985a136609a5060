package io.slipstream.trainer.semi;

import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.model.Classifier;
import io.slipstream.trainer.model.ClassifierFamily;
import io.slipstream.trainer.model.DataShape;
import io.slipstream.trainer.model.FitContext;

import java.util.Map;
import java.util.function.Function;
import java.util.TreeMap;

/**
 * Self-training's parameters: {@code base} (the wrapped family's name, default {@code random_forest}),
 * {@code threshold} (0.75: a pseudo-label is kept when its predicted probability is above it),
 * {@code max_iter} (10), and the base family's own parameters prefixed {@code base.} (e.g.
 * {@code base.n_estimators}), so one flat setting can search both.
 */
public record SelfTrainingParams(Base<?> base, double threshold, int maxIter)
{
    public static final String PREFIX = "base.";

    /** The wrapped family with its own parameters, typed by that family. */
    public record Base<Q>(ClassifierFamily<Q> family, Q params)
    {
        static <Q> Base<Q> parse(final ClassifierFamily<Q> family, final Map<String, Object> setting,
            final DataShape shape)
        {
            return new Base<>(family, family.parameters(setting, shape));
        }

        public Classifier fit(final Dataset train, final FitContext context)
        {
            return family.fit(train, params, context);
        }

        public double cost(final DataShape shape)
        {
            return family.cost(params, shape);
        }
    }

    /**
     * Parses {@code params} for data of {@code shape}; {@code families} resolves the base family's name (and
     * refuses, listing the choices, a name that is not a supervised family).
     */
    public static SelfTrainingParams from(final Map<String, Object> params, final DataShape shape,
        final Function<String, ClassifierFamily<?>> families)
    {
        final Map<String, Object> baseParams = new TreeMap<>();
        for (final Map.Entry<String, Object> e : params.entrySet())
        {
            final String key = e.getKey();
            if (key.startsWith(PREFIX))
            {
                baseParams.put(key.substring(PREFIX.length()), e.getValue());
            }
            else if (!key.equals("base") && !key.equals("threshold") && !key.equals("max_iter"))
            {
                throw new IllegalArgumentException("self_training has no parameter '" + key +
                    "'; allowed: base, threshold, max_iter and base.<parameter of the base family>");
            }
        }
        final Object base = params.getOrDefault("base", "random_forest");
        if (!(base instanceof String))
        {
            throw new IllegalArgumentException("base must be a family name, got " + base);
        }
        if (base.equals(SelfTrainingFamily.NAME))
        {
            throw new IllegalArgumentException("self_training cannot wrap itself; choose a supervised base family");
        }
        final Object threshold = params.getOrDefault("threshold", 0.75);
        if (!(threshold instanceof Number) || !(((Number)threshold).doubleValue() >= 0.0 &&
            ((Number)threshold).doubleValue() < 1.0))
        {
            throw new IllegalArgumentException("threshold must be a number in [0, 1), got " + threshold);
        }
        final Object maxIter = params.getOrDefault("max_iter", 10);
        if (!(maxIter instanceof Integer || maxIter instanceof Long) || ((Number)maxIter).longValue() < 1 ||
            ((Number)maxIter).longValue() > 10_000)
        {
            throw new IllegalArgumentException("max_iter must be an integer in 1..10000, got " + maxIter);
        }
        final Base<?> typed;
        try
        {
            typed = Base.parse(families.apply((String)base), baseParams, shape);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("base " + base + ": " + ex.getMessage(), ex);
        }
        return new SelfTrainingParams(typed, ((Number)threshold).doubleValue(), ((Number)maxIter).intValue());
    }
}
