package io.slipstream.launcher.cli;

import io.slipstream.launcher.spec.ValueText;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options one subcommand accepts, and the parse of its arguments: {@code --name value},
 * {@code --name=value}, flags without a value, positionals. Anything else is refused in one line that
 * names the subcommand and points at its {@code --help}.
 */
final class CommandLine
{
    private final String command;
    private final Map<String, Option> options = new LinkedHashMap<>();
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> positionals = new ArrayList<>();

    private record Option(String name, String valueName, String help)
    {
        boolean takesValue()
        {
            return valueName != null;
        }
    }

    CommandLine(final String command)
    {
        this.command = command;
    }

    CommandLine flag(final String name, final String help)
    {
        options.put(name, new Option(name, null, help));
        return this;
    }

    CommandLine option(final String name, final String valueName, final String help)
    {
        options.put(name, new Option(name, valueName, help));
        return this;
    }

    /** The options every command that runs a job takes. */
    CommandLine common()
    {
        return option("--run-dir", "DIR", "run directory (default runs/<job name>-<timestamp or job id>), owner-only")
            .option("--seed", "N", "job seed (default " + CommonOptions.DEFAULT_SEED + ")")
            .option("--deadline", "DURATION", "how long any wait for other ranks may take, e.g. 90s, 2m (default " +
                CommonOptions.DEFAULT_DEADLINE + ")")
            .flag("--verbose", "show every rank's output and more detail")
            .flag("--debug", "print stack traces for errors")
            .flag("--help", "show this help");
    }

    CommandLine parse(final List<String> args)
    {
        for (int i = 0; i < args.size(); i++)
        {
            final String arg = args.get(i);
            if (arg.equals("--"))
            {
                positionals.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-"))
            {
                positionals.add(arg);
                continue;
            }
            final int equals = arg.indexOf('=');
            final String name = equals > 0 ? arg.substring(0, equals) : arg;
            final Option option = options.get(name);
            if (option == null)
            {
                throw new UsageException("unknown option " + name + " for '" + command + "'; see " + command + " --help");
            }
            if (!option.takesValue())
            {
                if (equals > 0)
                {
                    throw new UsageException(name + " takes no value; see " + command + " --help");
                }
                values.put(name, "true");
                continue;
            }
            final String value;
            if (equals > 0)
            {
                value = arg.substring(equals + 1);
            }
            else if (i + 1 < args.size())
            {
                value = args.get(++i);
            }
            else
            {
                throw new UsageException(name + " needs a value (" + option.valueName() + "); see " + command + " --help");
            }
            values.put(name, value);
        }
        return this;
    }

    boolean has(final String name)
    {
        return values.containsKey(name);
    }

    String value(final String name, final String otherwise)
    {
        return values.getOrDefault(name, otherwise);
    }

    List<String> positionals()
    {
        return positionals;
    }

    /** The only positional, named {@code what} in the error when there is none or more than one. */
    String onePositional(final String what)
    {
        if (positionals.size() != 1)
        {
            throw new UsageException(command + " takes one " + what + (positionals.isEmpty() ? ", none given" :
                ", got " + String.join(" ", positionals)) + "; see " + command + " --help");
        }
        return positionals.get(0);
    }

    int integer(final String name, final int otherwise, final int min, final int max)
    {
        return has(name) ? (int)ValueText.integer(name, values.get(name), min, max, UsageException::new) : otherwise;
    }

    long longValue(final String name, final long otherwise)
    {
        return has(name) ? ValueText.wholeNumber(name, values.get(name), UsageException::new) : otherwise;
    }

    String help(final String usage, final String description)
    {
        final StringBuilder text = new StringBuilder();
        text.append("usage: ").append(usage).append('\n').append(description).append("\n\noptions:\n");
        for (final Option option : options.values())
        {
            final String left = option.name() + (option.takesValue() ? " " + option.valueName() : "");
            text.append(String.format("  %-24s %s%n", left, option.help()));
        }
        return text.toString();
    }
}
