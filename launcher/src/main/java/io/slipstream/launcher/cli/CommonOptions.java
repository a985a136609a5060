package io.slipstream.launcher.cli;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The options every running command shares, validated once.
 *
 * @param runDir        the run directory, or null for the default.
 * @param seed          the job seed.
 * @param deadlineNanos how long any wait for other ranks may take.
 * @param verbose       show every rank's output.
 * @param debug         print stack traces.
 */
record CommonOptions(Path runDir, long seed, long deadlineNanos, boolean verbose, boolean debug)
{
    static final long DEFAULT_SEED = 42;
    static final String DEFAULT_DEADLINE = "60s";

    static CommonOptions from(final CommandLine line)
    {
        final Path runDir = line.has("--run-dir") ? Path.of(line.value("--run-dir", "")) : null;
        return new CommonOptions(runDir, line.longValue("--seed", DEFAULT_SEED),
            parseDuration("--deadline", line.value("--deadline", DEFAULT_DEADLINE)), line.has("--verbose"),
            line.has("--debug"));
    }

    /** "500ms", "90s", "2m", "1h", or a bare number of seconds. */
    static long parseDuration(final String name, final String text)
    {
        final String t = text.trim();
        int split = 0;
        while (split < t.length() && Character.isDigit(t.charAt(split)))
        {
            split++;
        }
        final String unit = t.substring(split);
        final long amount;
        try
        {
            amount = Long.parseLong(t.substring(0, split));
        }
        catch (final NumberFormatException ex)
        {
            throw new UsageException(name + " '" + text + "' is not a duration; use e.g. 500ms, 90s, 2m, 1h");
        }
        final TimeUnit timeUnit = switch (unit)
        {
            case "ms" -> TimeUnit.MILLISECONDS;
            case "", "s" -> TimeUnit.SECONDS;
            case "m" -> TimeUnit.MINUTES;
            case "h" -> TimeUnit.HOURS;
            default -> throw new UsageException(name + " '" + text + "' has an unknown unit; use ms, s, m or h");
        };
        if (amount < 1 || timeUnit.toHours(amount) > 24 * 7)
        {
            throw new UsageException(name + " '" + text + "' is out of range; allowed 1ms..7 days");
        }
        return timeUnit.toNanos(amount);
    }
}
