package io.slipstream.launcher.train;

import io.slipstream.launcher.spec.SpecNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * SHA-256 of what a job spec says about the model and its data: every section except {@code name},
 * {@code checkpoint}, {@code output} and the {@code training} keys that only change how a run looks or
 * how fast it goes ({@code threads}, {@code metrics_every}, {@code progress}), so changing how many
 * checkpoints to keep does not orphan them. Keys are sorted and values rendered with their types, so key
 * order and formatting in the YAML file do not matter.
 */
public final class SpecHash
{
    private static final List<String> IGNORED = List.of("checkpoint", "name", "output");
    private static final List<String> IGNORED_TRAINING = List.of("threads", "metrics_every", "progress");

    private SpecHash()
    {
    }

    public static byte[] of(final SpecNode root)
    {
        final StringBuilder canonical = new StringBuilder();
        final Map<String, Object> sorted = new TreeMap<>();
        for (final String key : root.keys())
        {
            if (IGNORED.contains(key))
            {
                continue;
            }
            final Object value = root.raw(key);
            if ("training".equals(key) && value instanceof Map)
            {
                final Map<String, Object> training = new TreeMap<>();
                for (final Map.Entry<?, ?> e : ((Map<?, ?>)value).entrySet())
                {
                    if (!IGNORED_TRAINING.contains(String.valueOf(e.getKey())))
                    {
                        training.put(String.valueOf(e.getKey()), e.getValue());
                    }
                }
                if (!training.isEmpty())
                {
                    sorted.put(key, training);
                }
            }
            else
            {
                sorted.put(key, value);
            }
        }
        render(sorted, canonical);
        try
        {
            return MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("this JVM has no SHA-256", ex);
        }
    }

    private static void render(final Object value, final StringBuilder out)
    {
        if (value instanceof Map)
        {
            final Map<String, Object> sorted = new TreeMap<>();
            for (final Map.Entry<?, ?> e : ((Map<?, ?>)value).entrySet())
            {
                sorted.put(String.valueOf(e.getKey()), e.getValue());
            }
            out.append('{');
            for (final Map.Entry<String, Object> e : sorted.entrySet())
            {
                out.append(e.getKey().length()).append(':').append(e.getKey()).append('=');
                render(e.getValue(), out);
                out.append(';');
            }
            out.append('}');
        }
        else if (value instanceof List)
        {
            out.append('[');
            for (final Object item : (List<?>)value)
            {
                render(item, out);
                out.append(',');
            }
            out.append(']');
        }
        else if (value instanceof String)
        {
            out.append('s').append(((String)value).length()).append(':').append(value);
        }
        else if (value == null)
        {
            out.append('~');
        }
        else
        {
            out.append(value.getClass().getSimpleName().charAt(0)).append(value);
        }
    }
}
