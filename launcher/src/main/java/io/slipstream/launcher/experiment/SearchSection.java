package io.slipstream.launcher.experiment;

import io.slipstream.launcher.spec.SpecException;
import io.slipstream.launcher.spec.SpecNode;
import io.slipstream.trainer.search.Distribution;
import io.slipstream.trainer.search.Search;

import io.slipstream.trainer.model.ModelFamily;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code search} section:
 * <pre>
 * search:
 *   strategy: grid          # manual | grid | random | auto (default manual)
 *   grid: {max_depth: [null, 10], n_estimators: [100, 200]}          # grid
 *   settings: [{n_estimators: 100}, {n_estimators: 300}]             # manual (default: one, model.params only)
 *   space: {lr: {low: 1.0e-4, high: 0.1, log: true}, units: [16, 32]} # random: lists or ranges (int: true)
 *   trials: 20              # random and auto (default 10)
 *   seed: 7                 # random and auto (default: the job seed)
 *   max_settings: 100000    # grid: the most combinations it may expand to (counted before expanding)
 * </pre>
 * {@code auto} draws {@code trials} settings from the family's default space. Values are plain YAML
 * scalars (null, booleans, numbers, strings).
 */
record SearchSection(String strategy, Map<String, List<Object>> grid, List<Map<String, Object>> manual,
    Map<String, Distribution> space, int trials, Long seed)
{
    static final String[] STRATEGIES = {"manual", "grid", "random", "auto"};
    /** Enough for any search that finishes in days; a larger grid is almost always a typo in a list. */
    static final long DEFAULT_MAX_SETTINGS = 100_000;

    static SearchSection parse(final SpecNode search, final ModelFamily<?> family)
    {
        final String strategy = search.choice("strategy", "manual", STRATEGIES);
        final Long seed = search.has("seed") ? search.integer("seed") : null;
        switch (strategy)
        {
            case "grid":
            {
                search.allowOnly("strategy", "grid", "max_settings");
                final long limit = search.integer("max_settings", DEFAULT_MAX_SETTINGS, 1, 100_000_000);
                final SpecNode grid = search.child("grid");
                if (grid.keys().isEmpty())
                {
                    throw new SpecException(grid.path(), "is empty; give at least one parameter with a list of values");
                }
                final Map<String, List<Object>> values = new LinkedHashMap<>();
                for (final String key : grid.keys())
                {
                    values.put(key, values(grid, key));
                }
                final long count = Search.Grid.count(values);
                if (count > limit)
                {
                    throw new SpecException(grid.path(), (count == Long.MAX_VALUE ? "more than 9.2e18" : count) +
                        " settings (the product of the list lengths) exceed search.max_settings " + limit +
                        "; shorten the lists, or raise max_settings if the job really needs them");
                }
                return new SearchSection(strategy, values, List.of(), Map.of(), 0, null);
            }
            case "random":
            {
                search.allowOnly("strategy", "space", "trials", "seed");
                final SpecNode space = search.child("space");
                if (space.keys().isEmpty())
                {
                    throw new SpecException(space.path(), "is empty; give at least one parameter (a list or a range)");
                }
                final Map<String, Distribution> distributions = new LinkedHashMap<>();
                for (final String key : space.keys())
                {
                    distributions.put(key, distribution(space, key));
                }
                return new SearchSection(strategy, Map.of(), List.of(), distributions,
                    (int)search.integer("trials", 10, 1, 100_000), seed);
            }
            case "auto":
            {
                search.allowOnly("strategy", "trials", "seed");
                if (family.autoSpace().isEmpty())
                {
                    throw new SpecException(search.pathOf("strategy"), "this family has no default search space; " +
                        "use grid or random with your own values");
                }
                return new SearchSection(strategy, Map.of(), List.of(), family.autoSpace(),
                    (int)search.integer("trials", 10, 1, 100_000), seed);
            }
            default:
            {
                search.allowOnly("strategy", "settings");
                final List<Map<String, Object>> settings = new ArrayList<>();
                if (search.has("settings"))
                {
                    final List<Object> raw = search.list("settings");
                    if (raw.isEmpty())
                    {
                        throw new SpecException(search.pathOf("settings"), "is empty; give at least one setting or " +
                            "leave it out to use model.params alone");
                    }
                    for (int i = 0; i < raw.size(); i++)
                    {
                        final String path = search.pathOf("settings") + "[" + i + "]";
                        if (!(raw.get(i) instanceof Map))
                        {
                            throw new SpecException(path, "expected a mapping of parameters, found " +
                                SpecNode.describe(raw.get(i)));
                        }
                        final SpecNode setting = SpecNode.of(path, stringKeys(path, (Map<?, ?>)raw.get(i)));
                        final Map<String, Object> values = new LinkedHashMap<>();
                        for (final String key : setting.keys())
                        {
                            values.put(key, scalar(setting.pathOf(key), setting.raw(key)));
                        }
                        settings.add(values);
                    }
                }
                else
                {
                    settings.add(Map.of());
                }
                return new SearchSection(strategy, Map.of(), settings, Map.of(), 0, null);
            }
        }
    }

    /** The search, seeded with the section's seed or else {@code jobSeed}. */
    Search search(final long jobSeed)
    {
        switch (strategy)
        {
            case "grid":
                return new Search.Grid(grid);
            case "random":
            case "auto":
                return new Search.Random(space, trials, seed != null ? seed : jobSeed);
            default:
                return new Search.Manual(manual);
        }
    }

    private static List<Object> values(final SpecNode grid, final String key)
    {
        final Object raw = grid.raw(key);
        if (!(raw instanceof List))
        {
            throw new SpecException(grid.pathOf(key), "expected a list of values, found " + SpecNode.describe(raw) +
                " (write [" + (raw == null ? "null" : raw) + "] for a single value)");
        }
        final List<Object> list = grid.list(key);
        if (list.isEmpty())
        {
            throw new SpecException(grid.pathOf(key), "is an empty list; give at least one value");
        }
        final List<Object> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++)
        {
            out.add(scalar(grid.pathOf(key) + "[" + i + "]", list.get(i)));
        }
        return out;
    }

    private static Distribution distribution(final SpecNode space, final String key)
    {
        final Object raw = space.raw(key);
        if (raw instanceof List)
        {
            return new Distribution.Choice(values(space, key));
        }
        if (!(raw instanceof Map))
        {
            throw new SpecException(space.pathOf(key), "expected a list of values or a range {low, high, log, int}, " +
                "found " + SpecNode.describe(raw));
        }
        final SpecNode range = space.child(key).allowOnly("low", "high", "log", "int");
        final double low = range.decimal("low");
        final double high = range.decimal("high");
        final boolean log = range.bool("log", false);
        if (!(low <= high))
        {
            throw new SpecException(range.pathOf("high"), high + " is below low " + low + "; need low <= high");
        }
        if (log && !(low > 0))
        {
            throw new SpecException(range.pathOf("low"), low + " is not allowed with log: true; need low > 0");
        }
        return new Distribution.Range(low, high, log, range.bool("int", false));
    }

    /** A plain value, or a list of plain values (e.g. {@code hidden_layers: [32, 16]}). */
    static Object scalar(final String path, final Object value)
    {
        if (value instanceof List)
        {
            final List<Object> out = new ArrayList<>();
            final List<?> list = (List<?>)value;
            for (int i = 0; i < list.size(); i++)
            {
                if (!plain(list.get(i)))
                {
                    throw new SpecException(path + "[" + i + "]", "expected a plain value (null, true/false, a " +
                        "number or a string), found " + SpecNode.describe(list.get(i)));
                }
                out.add(list.get(i));
            }
            return Collections.unmodifiableList(out);
        }
        if (plain(value))
        {
            return value;
        }
        throw new SpecException(path, "expected a plain value (null, true/false, a number, a string, or a list of " +
            "those), found " + SpecNode.describe(value));
    }

    private static boolean plain(final Object value)
    {
        return value == null || value instanceof String || value instanceof Boolean || value instanceof Integer ||
            value instanceof Long || value instanceof Double;
    }

    static Map<String, Object> stringKeys(final String path, final Map<?, ?> map)
    {
        final Map<String, Object> out = new LinkedHashMap<>();
        for (final Map.Entry<?, ?> e : map.entrySet())
        {
            if (!(e.getKey() instanceof String))
            {
                throw new SpecException(path, "key " + SpecNode.describe(e.getKey()) + " must be a parameter name");
            }
            out.put((String)e.getKey(), e.getValue());
        }
        return out;
    }
}
