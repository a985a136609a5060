package io.slipstream.trainer.search;

import io.slipstream.trainer.data.Seeds;
import io.slipstream.trainer.data.Shuffle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** A search strategy: the settings to evaluate, each canonical, in a deterministic order. */
public sealed interface Search permits Search.Manual, Search.Grid, Search.Random
{
    List<Map<String, Object>> settings();

    /** Fixed settings as given (one setting with no entries means the family's defaults). */
    record Manual(List<Map<String, Object>> given) implements Search
    {
        @Override
        public List<Map<String, Object>> settings()
        {
            final List<Map<String, Object>> out = new ArrayList<>();
            for (final Map<String, Object> s : given)
            {
                out.add(Settings.canonical(s));
            }
            return out;
        }
    }

    /**
     * Every combination, like scikit-learn's {@code ParameterGrid}: keys sorted, the last key varying
     * fastest, values in the order given.
     */
    record Grid(Map<String, List<Object>> grid) implements Search
    {
        public Grid
        {
            for (final Map.Entry<String, List<Object>> e : grid.entrySet())
            {
                if (e.getValue().isEmpty())
                {
                    throw new IllegalArgumentException("grid parameter '" + e.getKey() + "' has no values");
                }
            }
            grid = new TreeMap<>(grid);
        }

        /** How many settings {@code grid} expands to, counted without expanding (Long.MAX_VALUE when more). */
        public static long count(final Map<String, List<Object>> grid)
        {
            long count = 1;
            for (final List<Object> values : grid.values())
            {
                if (values.isEmpty())
                {
                    return 0;
                }
                if (count > Long.MAX_VALUE / values.size())
                {
                    return Long.MAX_VALUE;
                }
                count *= values.size();
            }
            return count;
        }

        @Override
        public List<Map<String, Object>> settings()
        {
            final long count = count(grid);
            if (count > Integer.MAX_VALUE - 8)
            {
                throw new IllegalArgumentException("a grid of " + count + " settings cannot be listed; the most is " +
                    (Integer.MAX_VALUE - 8));
            }
            final List<String> keys = new ArrayList<>(grid.keySet());
            final List<Map<String, Object>> out = new ArrayList<>();
            final int[] at = new int[keys.size()];
            while (true)
            {
                final Map<String, Object> s = new LinkedHashMap<>();
                for (int k = 0; k < keys.size(); k++)
                {
                    s.put(keys.get(k), grid.get(keys.get(k)).get(at[k]));
                }
                out.add(Settings.canonical(s));
                int k = keys.size() - 1;
                while (k >= 0 && ++at[k] == grid.get(keys.get(k)).size())
                {
                    at[k] = 0;
                    k--;
                }
                if (k < 0)
                {
                    return out;
                }
            }
        }
    }

    /**
     * {@code trials} settings drawn from {@code space}; trial t draws its parameters in key order from a
     * generator seeded by (seed, t). When every parameter is a list (and the grid has at most a million
     * settings), trials are drawn from the grid without replacement (the whole grid when it is smaller), as
     * scikit-learn's {@code ParameterSampler} does.
     */
    record Random(Map<String, Distribution> space, int trials, long seed) implements Search
    {
        /** Larger all-list grids are sampled with replacement rather than drawn from without. */
        static final long MAX_ENUMERATED_GRID = 1_000_000;

        public Random
        {
            if (trials < 1)
            {
                throw new IllegalArgumentException("a random search needs at least 1 trial, got " + trials);
            }
            space = new TreeMap<>(space);
        }

        @Override
        public List<Map<String, Object>> settings()
        {
            final Map<String, List<Object>> lists = new TreeMap<>();
            for (final Map.Entry<String, Distribution> e : space.entrySet())
            {
                if (e.getValue() instanceof Distribution.Choice c)
                {
                    lists.put(e.getKey(), c.values());
                }
            }
            if (lists.size() == space.size() && gridSize(lists) <= MAX_ENUMERATED_GRID)
            {
                final int[] order = new int[(int)gridSize(lists)];
                for (int i = 0; i < order.length; i++)
                {
                    order[i] = i;
                }
                final int take = Math.min(trials, order.length);
                Shuffle.partial(order, take, new SplittableRandom(seed));
                final List<Map<String, Object>> out = new ArrayList<>();
                for (int i = 0; i < take; i++)
                {
                    out.add(gridSetting(lists, order[i]));
                }
                return out;
            }
            final List<Map<String, Object>> out = new ArrayList<>();
            for (int t = 0; t < trials; t++)
            {
                final SplittableRandom random = new SplittableRandom(Seeds.derive(seed, t));
                final Map<String, Object> s = new LinkedHashMap<>();
                for (final Map.Entry<String, Distribution> e : space.entrySet())
                {
                    s.put(e.getKey(), e.getValue().sample(random));
                }
                out.add(Settings.canonical(s));
            }
            return out;
        }

        /** Setting number {@code index} in {@link Grid} order (sorted keys, the last varying fastest). */
        private static Map<String, Object> gridSetting(final Map<String, List<Object>> lists, final int index)
        {
            final List<String> keys = new ArrayList<>(lists.keySet());
            final Map<String, Object> s = new LinkedHashMap<>();
            int rest = index;
            for (int k = keys.size() - 1; k >= 0; k--)
            {
                final List<Object> values = lists.get(keys.get(k));
                s.put(keys.get(k), values.get(rest % values.size()));
                rest /= values.size();
            }
            return Settings.canonical(s);
        }

        private static long gridSize(final Map<String, List<Object>> lists)
        {
            long size = 1;
            for (final List<Object> values : lists.values())
            {
                size *= values.size();
                if (size > MAX_ENUMERATED_GRID)
                {
                    return size;
                }
            }
            return size;
        }
    }
}
