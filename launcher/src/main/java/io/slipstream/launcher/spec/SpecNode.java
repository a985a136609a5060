package io.slipstream.launcher.spec;

import io.slipstream.trainer.data.DataException;
import io.slipstream.trainer.data.InputFile;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A mapping from a YAML job spec with its key path, so every error names where it is
 * ({@code search.grid.max_depth[2]}), the bad value and what is allowed. Reads only plain YAML types
 * (SafeConstructor): a spec never instantiates Java classes. The file is checked before it is read
 * ({@link InputFile}: a regular file of at most {@link #MAX_SPEC_BYTES}, strict UTF-8 with the line and byte offset of
 * a bad byte); keys and values quoted in errors have their control characters escaped ({@link SpecException}).
 * Every node knows the directory its spec file is in, against which {@link #file} resolves relative paths.
 */
public final class SpecNode
{
    /** Far more than any job spec; a bigger file is the wrong file. */
    public static final long MAX_SPEC_BYTES = 1 << 20;

    private final String path;
    private final Map<String, Object> map;
    private final Path base;

    private SpecNode(final String path, final Map<String, Object> map, final Path base)
    {
        this.path = path;
        this.map = map;
        this.base = base;
    }

    public static SpecNode load(final Path file)
    {
        final String text;
        try
        {
            text = InputFile.readText(file, "job file", MAX_SPEC_BYTES);
        }
        catch (final DataException ex)
        {
            throw new SpecException("", ex.getMessage());
        }
        final Path parent = file.toAbsolutePath().getParent();
        return parse(text, file.toString(), parent != null ? parent : Path.of("").toAbsolutePath());
    }

    /** A spec's text from {@code source} (named in errors); relative file paths resolve against the working directory. */
    public static SpecNode parse(final String text, final String source)
    {
        return parse(text, source, Path.of("").toAbsolutePath());
    }

    /** As {@link #parse(String, String)}, with relative file paths resolved against {@code base}. */
    public static SpecNode parse(final String text, final String source, final Path base)
    {
        final Object root;
        try
        {
            final LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            root = new Yaml(new SafeConstructor(options)).load(text);
        }
        catch (final MarkedYAMLException ex)
        {
            final int line = ex.getProblemMark() == null ? -1 : ex.getProblemMark().getLine() + 1;
            throw new SpecException("", source + " is not valid YAML" + (line > 0 ? " at line " + line : "") +
                ": " + ex.getProblem() + "; fix the syntax there");
        }
        catch (final YAMLException ex)
        {
            throw new SpecException("", source + " is not valid YAML: " + ex.getMessage());
        }
        if (root == null)
        {
            throw new SpecException("", source + " is empty: a job spec is a YAML mapping with at least 'name'");
        }
        if (!(root instanceof Map))
        {
            throw new SpecException("", source + " must be a YAML mapping of sections, found " + describe(root));
        }
        return new SpecNode("", asStringMap("", root), base);
    }

    public static SpecNode of(final String path, final Map<String, Object> map)
    {
        return new SpecNode(path, new LinkedHashMap<>(map), Path.of("").toAbsolutePath());
    }

    /**
     * A copy of this spec with {@code value} at {@code keys} (a key path from this node), mappings on the way created
     * when absent; the copy is checked as any spec is when it is read. A key on the way that holds something other
     * than a mapping is refused, naming it.
     */
    public SpecNode with(final List<String> keys, final Object value)
    {
        final Map<String, Object> copy = deepCopy(map);
        Map<String, Object> at = copy;
        String where = path;
        for (int i = 0; i < keys.size() - 1; i++)
        {
            final String key = keys.get(i);
            where = where.isEmpty() ? key : where + "." + key;
            final Object next = at.get(key);
            if (next == null)
            {
                final Map<String, Object> created = new LinkedHashMap<>();
                at.put(key, created);
                at = created;
            }
            else if (next instanceof Map)
            {
                @SuppressWarnings("unchecked")
                final Map<String, Object> inner = (Map<String, Object>)next;
                at = inner;
            }
            else
            {
                throw new SpecException(where, "is " + describe(next) + ", not a mapping, so it has no key '" +
                    keys.get(i + 1) + "'; set " + where + " itself or fix the key");
            }
        }
        at.put(keys.get(keys.size() - 1), value);
        return new SpecNode(path, copy, base);
    }

    /** This spec as YAML (block style), as it would be read back. */
    public String toYaml()
    {
        final DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setSplitLines(false);
        return new Yaml(new SafeConstructor(new LoaderOptions()), new Representer(options), options).dump(map);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(final Map<String, Object> map)
    {
        final Map<String, Object> copy = new LinkedHashMap<>();
        for (final Map.Entry<String, Object> e : map.entrySet())
        {
            copy.put(e.getKey(), copyOf(e.getValue()));
        }
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Object copyOf(final Object value)
    {
        if (value instanceof Map)
        {
            final Map<Object, Object> copy = new LinkedHashMap<>();
            ((Map<Object, Object>)value).forEach((k, v) -> copy.put(k, copyOf(v)));
            return copy;
        }
        if (value instanceof List)
        {
            final List<Object> copy = new ArrayList<>();
            ((List<Object>)value).forEach((v) -> copy.add(copyOf(v)));
            return copy;
        }
        return value;
    }

    public String path()
    {
        return path;
    }

    public String pathOf(final String key)
    {
        return path.isEmpty() ? key : path + "." + key;
    }

    public boolean has(final String key)
    {
        return map.containsKey(key) && map.get(key) != null;
    }

    public Set<String> keys()
    {
        return Collections.unmodifiableSet(map.keySet());
    }

    /** The raw value (String, Integer, Long, Double, Boolean, List, Map or null). */
    public Object raw(final String key)
    {
        return map.get(key);
    }

    /** Fails on any key not in {@code allowed}, naming it and listing the allowed keys. */
    public SpecNode allowOnly(final String... allowed)
    {
        final Set<String> ok = new TreeSet<>(List.of(allowed));
        for (final String key : map.keySet())
        {
            if (!ok.contains(key))
            {
                throw new SpecException(pathOf(key), "unknown key; allowed here: " + String.join(", ", ok));
            }
        }
        return this;
    }

    public SpecNode child(final String key)
    {
        final Object value = require(key, "a mapping");
        if (!(value instanceof Map))
        {
            throw wrongType(key, value, "a mapping");
        }
        return new SpecNode(pathOf(key), asStringMap(pathOf(key), value), base);
    }

    /** The child mapping, or an empty one when the key is absent. */
    public SpecNode childOrEmpty(final String key)
    {
        return has(key) ? child(key) : new SpecNode(pathOf(key), new LinkedHashMap<>(), base);
    }

    public String string(final String key)
    {
        final Object value = require(key, "a string");
        if (!(value instanceof String))
        {
            throw wrongType(key, value, "a string");
        }
        return (String)value;
    }

    public String string(final String key, final String otherwise)
    {
        return has(key) ? string(key) : otherwise;
    }

    /**
     * A file path: the string at {@code key}, resolved against the directory of the spec file when relative (so a
     * spec and the files it names move together). Whether the file is usable is the reader's to check.
     */
    public Path file(final String key)
    {
        final String value = string(key);
        if (value.isBlank())
        {
            throw new SpecException(pathOf(key), "is empty; give the path of a file");
        }
        final Path given;
        try
        {
            given = Path.of(value);
        }
        catch (final InvalidPathException ex)
        {
            throw new SpecException(pathOf(key), "'" + value + "' is not a file path: " + ex.getReason());
        }
        return given.isAbsolute() ? given : base.resolve(given).normalize();
    }

    /** A string that must be one of {@code allowed}. */
    public String choice(final String key, final String otherwise, final String... allowed)
    {
        final String value = string(key, otherwise);
        for (final String a : allowed)
        {
            if (a.equals(value))
            {
                return value;
            }
        }
        throw new SpecException(pathOf(key), "'" + value + "' is not allowed; use one of " + String.join(", ", allowed));
    }

    public long integer(final String key)
    {
        final Object value = require(key, "an integer");
        if (!(value instanceof Integer || value instanceof Long))
        {
            throw wrongType(key, value, "an integer");
        }
        return ((Number)value).longValue();
    }

    public long integer(final String key, final long otherwise, final long min, final long max)
    {
        final String at = pathOf(key);
        return ValueText.inRange("", has(key) ? integer(key) : otherwise, min, max, (m) -> new SpecException(at, m));
    }

    public double decimal(final String key)
    {
        final Object value = require(key, "a number");
        if (!(value instanceof Number))
        {
            throw wrongType(key, value, "a number");
        }
        return ((Number)value).doubleValue();
    }

    public double decimal(final String key, final double otherwise, final double min, final double max)
    {
        final double value = has(key) ? decimal(key) : otherwise;
        if (!(value >= min && value <= max))
        {
            throw new SpecException(pathOf(key), value + " is out of range; allowed " + min + ".." + max);
        }
        return value;
    }

    public boolean bool(final String key, final boolean otherwise)
    {
        if (!has(key))
        {
            return otherwise;
        }
        final Object value = map.get(key);
        if (!(value instanceof Boolean))
        {
            throw wrongType(key, value, "true or false");
        }
        return (Boolean)value;
    }

    /** A YAML list; elements are raw values. */
    public List<Object> list(final String key)
    {
        final Object value = require(key, "a list");
        if (!(value instanceof List))
        {
            throw wrongType(key, value, "a list");
        }
        return new ArrayList<>((List<?>)value);
    }

    public SpecException error(final String key, final String message)
    {
        return new SpecException(pathOf(key), message);
    }

    public static String describe(final Object value)
    {
        if (value == null)
        {
            return "nothing (null)";
        }
        if (value instanceof Map)
        {
            return "a mapping";
        }
        if (value instanceof List)
        {
            return "a list";
        }
        if (value instanceof String)
        {
            return "'" + value + "' (a string)";
        }
        if (value instanceof Integer || value instanceof Long)
        {
            return value + " (an integer)";
        }
        if (value instanceof Number)
        {
            return value + " (a number)";
        }
        if (value instanceof Boolean)
        {
            return value + " (a boolean)";
        }
        return String.valueOf(value);
    }

    private Object require(final String key, final String expected)
    {
        if (!has(key))
        {
            throw new SpecException(pathOf(key), "is missing; expected " + expected);
        }
        return map.get(key);
    }

    private SpecException wrongType(final String key, final Object value, final String expected)
    {
        return new SpecException(pathOf(key), "expected " + expected + ", found " + describe(value));
    }

    private static Map<String, Object> asStringMap(final String path, final Object value)
    {
        final Map<String, Object> out = new LinkedHashMap<>();
        for (final Map.Entry<?, ?> e : ((Map<?, ?>)value).entrySet())
        {
            if (!(e.getKey() instanceof String))
            {
                throw new SpecException(path, "key " + describe(e.getKey()) + " must be a plain word");
            }
            out.put((String)e.getKey(), e.getValue());
        }
        return out;
    }
}
