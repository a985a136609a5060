package io.slipstream.launcher.cli;

import io.slipstream.launcher.spec.ValueText;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The options every running command shares (a picocli mixin), each checked as it is parsed: the run directory,
 * the job seed, the deadline of any wait for other ranks, {@code --verbose}, {@code --debug} and {@code --help}.
 */
final class CommonOptions
{
    static final long DEFAULT_SEED = 42;
    static final String DEFAULT_DEADLINE = "60s";
    private static final long MAX_DEADLINE_HOURS = 24 * 7;

    /**
     * A deadline as given and in nanoseconds.
     *
     * @param text  what the user wrote (e.g. {@code 90s}).
     * @param nanos the same in nanoseconds.
     */
    record Deadline(String text, long nanos)
    {
    }

    @Option(names = "--run-dir", paramLabel = "DIR",
        description = "run directory (default runs/<job name>-<timestamp or job id>), owner-only")
    private Path runDir;

    @Option(names = "--seed", paramLabel = "N", converter = Converters.Seed.class,
        description = "job seed (default " + DEFAULT_SEED + ")")
    private long seed = DEFAULT_SEED;

    @Option(names = "--deadline", paramLabel = "DURATION", converter = Converters.Deadline.class,
        description = "how long any wait for other ranks may take, e.g. 90s, 2m (default " + DEFAULT_DEADLINE + ")")
    private Deadline deadline;

    @Option(names = "--verbose", description = "show every rank's output and more detail")
    private boolean verbose;

    @Option(names = "--debug", description = "print stack traces for errors")
    private boolean debug;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    private boolean help;

    /** The run directory, or null for the default. */
    Path runDir()
    {
        return runDir;
    }

    long seed()
    {
        return seed;
    }

    /** How long any wait for other ranks may take. */
    long deadlineNanos()
    {
        return deadline != null ? deadline.nanos() : parseDuration("--deadline", DEFAULT_DEADLINE);
    }

    /** The deadline as the user gave it, or null when not given. */
    String deadlineText()
    {
        return deadline != null ? deadline.text() : null;
    }

    boolean verbose()
    {
        return verbose;
    }

    boolean debug()
    {
        return debug;
    }

    /** "500ms", "90s", "2m", "1h", or a bare number of seconds; at most 7 days. */
    static long parseDuration(final String name, final String text)
    {
        return ValueText.durationNanos(name, text, MAX_DEADLINE_HOURS, UsageException::new);
    }
}
