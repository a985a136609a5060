package io.slipstream.trainer.search;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Hyperparameter settings are {@code Map<String, Object>} with plain values (null, Boolean, Integer,
 * Long, Double, String). Their canonical form has keys in sorted order and is unmodifiable, so two equal
 * settings print, hash and serialise alike on every rank.
 */
public final class Settings
{
    private Settings()
    {
    }

    public static Map<String, Object> canonical(final Map<String, Object> setting)
    {
        final Map<String, Object> out = new LinkedHashMap<>();
        for (final Map.Entry<String, Object> e : new TreeMap<>(setting).entrySet())
        {
            out.put(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableMap(out);
    }

    /** {@code fixed} under {@code setting}; a key in both is an error naming it. */
    public static Map<String, Object> merge(final Map<String, Object> fixed, final Map<String, Object> setting)
    {
        final Map<String, Object> out = new TreeMap<>(fixed);
        for (final Map.Entry<String, Object> e : setting.entrySet())
        {
            if (fixed.containsKey(e.getKey()))
            {
                throw new IllegalArgumentException("parameter '" + e.getKey() +
                    "' is both fixed in model.params and searched; keep it in one place");
            }
            out.put(e.getKey(), e.getValue());
        }
        return canonical(out);
    }

    /** {@code {max_depth: null, n_estimators: 100}}: compact, stable text for tables and logs. */
    public static String text(final Map<String, Object> setting)
    {
        final StringBuilder sb = new StringBuilder("{");
        for (final Map.Entry<String, Object> e : new TreeMap<>(setting).entrySet())
        {
            if (sb.length() > 1)
            {
                sb.append(", ");
            }
            sb.append(e.getKey()).append(": ").append(e.getValue() instanceof String ? "'" + e.getValue() + "'" :
                String.valueOf(e.getValue()));
        }
        return sb.append('}').toString();
    }

    /** Every key of every setting, sorted (the param_* columns of a CV table). */
    public static List<String> keys(final List<Map<String, Object>> settings)
    {
        final TreeSet<String> keys = new TreeSet<>();
        for (final Map<String, Object> s : settings)
        {
            keys.addAll(s.keySet());
        }
        return List.copyOf(keys);
    }
}
