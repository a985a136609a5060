package io.slipstream.launcher.cli;

import io.slipstream.launcher.spec.ValueText;

import java.nio.file.Path;

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
    private static final long MAX_DEADLINE_HOURS = 24 * 7;

    static CommonOptions from(final CommandLine line)
    {
        final Path runDir = line.has("--run-dir") ? Path.of(line.value("--run-dir", "")) : null;
        return new CommonOptions(runDir, line.longValue("--seed", DEFAULT_SEED),
            parseDuration("--deadline", line.value("--deadline", DEFAULT_DEADLINE)), line.has("--verbose"),
            line.has("--debug"));
    }

    /** "500ms", "90s", "2m", "1h", or a bare number of seconds; at most 7 days. */
    static long parseDuration(final String name, final String text)
    {
        return ValueText.durationNanos(name, text, MAX_DEADLINE_HOURS, UsageException::new);
    }
}
