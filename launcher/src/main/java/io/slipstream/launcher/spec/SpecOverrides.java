package io.slipstream.launcher.spec;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.util.Arrays;
import java.util.List;

/**
 * Command-line overrides of a job spec, as Hydra users write them: {@code --set model.params.epochs=10},
 * {@code --set search.grid.max_depth=[5,10]}. The key is a dotted path from the spec's top; the value is a YAML flow
 * value (a number, a word, {@code true}, a {@code [list]} or a {@code {mapping}}). They are applied in order to the
 * spec tree before it is checked, so a wrong key or a wrong type is the same one-line error, at the same key path,
 * as in the file.
 */
public final class SpecOverrides
{
    /** The option that gives an override. */
    public static final String OPTION = "--set";

    private SpecOverrides()
    {
    }

    /** {@code root} with every {@code KEY=VALUE} of {@code assignments} applied, in order. */
    public static SpecNode apply(final SpecNode root, final List<String> assignments)
    {
        SpecNode spec = root;
        for (final String assignment : assignments)
        {
            final int equals = assignment.indexOf('=');
            if (equals <= 0)
            {
                throw new SpecException("", OPTION + " '" + assignment + "' is not KEY=VALUE; use e.g. " + OPTION +
                    " model.params.epochs=10");
            }
            final String key = assignment.substring(0, equals).trim();
            final List<String> keys = Arrays.asList(key.split("\\.", -1));
            if (keys.stream().anyMatch(String::isBlank))
            {
                throw new SpecException("", OPTION + " '" + assignment + "': the key '" + key + "' has an empty " +
                    "part; use dotted keys such as search.grid.max_depth");
            }
            spec = spec.with(keys, value(key, assignment.substring(equals + 1)));
        }
        return spec;
    }

    private static Object value(final String key, final String text)
    {
        try
        {
            final LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            return new Yaml(new SafeConstructor(options)).load(text);
        }
        catch (final YAMLException ex)
        {
            throw new SpecException(key, "'" + text + "' from " + OPTION + " is not a YAML value (a number, a word, " +
                "[a, list] or {a: mapping}); quote it for the shell, e.g. " + OPTION + " '" + key + "=[5, 10]'");
        }
    }
}
