package io.slipstream.trainer.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/** Where a random search draws one parameter from: a list of values or a numeric range. */
public sealed interface Distribution permits Distribution.Choice, Distribution.Range
{
    Object sample(SplittableRandom random);

    /** One of {@code values}, uniformly. */
    record Choice(List<Object> values) implements Distribution
    {
        public Choice
        {
            if (values.isEmpty())
            {
                throw new IllegalArgumentException("a choice needs at least one value");
            }
            values = Collections.unmodifiableList(new ArrayList<>(values));
        }

        @Override
        public Object sample(final SplittableRandom random)
        {
            return values.get(random.nextInt(values.size()));
        }
    }

    /**
     * Uniform in [low, high] (log-uniform when {@code log}); {@code integer} rounds down to an int in
     * [low, high] (inclusive).
     */
    record Range(double low, double high, boolean log, boolean integer) implements Distribution
    {
        public Range
        {
            if (!(low <= high))
            {
                throw new IllegalArgumentException("range low " + low + " must not exceed high " + high);
            }
            if (log && !(low > 0))
            {
                throw new IllegalArgumentException("a log range needs low > 0, got " + low);
            }
        }

        @Override
        public Object sample(final SplittableRandom random)
        {
            if (integer)
            {
                final double lo = log ? Math.log(low) : low;
                final double hi = log ? Math.log(Math.floor(high) + 1) : Math.floor(high) + 1;
                final double u = lo + (hi - lo) * random.nextDouble();
                final long value = (long)Math.floor(log ? Math.exp(u) : u);
                return (int)Math.max((long)Math.ceil(low), Math.min((long)Math.floor(high), value));
            }
            final double u = random.nextDouble();
            return log ? Math.exp(Math.log(low) + (Math.log(high) - Math.log(low)) * u) : low + (high - low) * u;
        }
    }
}
