package io.slipstream.launcher.cli;

import io.slipstream.launcher.bench.SearchBenchmark;
import io.slipstream.launcher.signal.ExitCode;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code slipstream bench search}: the reference experiment ({@code examples/iris-random-forest-grid.yaml},
 * 540 fits) as {@code slipstream local -n N}, then scikit-learn's GridSearchCV with {@code n_jobs=N} on the
 * same grid, one line each and the ratio of their wall times ({@link SearchBenchmark}). The job file and
 * the peer script are found under the Slipstream checkout ({@code -Dslipstream.home}, set by
 * {@code bin/slipstream}).
 */
final class SearchBenchCommand
{
    static final String NAME = "slipstream bench search";
    private static final int DEFAULT_RANKS = 2;

    private final PrintStream out;
    private final Map<String, String> env;

    SearchBenchCommand(final PrintStream out, final Map<String, String> env)
    {
        this.out = out;
        this.env = env;
    }

    static CommandLine commandLine()
    {
        return new CommandLine(NAME)
            .option("-n", "N", "local ranks, and scikit-learn's n_jobs (default " + DEFAULT_RANKS + ")")
            .option("--run-dir", "DIR", "the Slipstream run's directory, kept afterwards (default " +
                "runs/bench-search-<timestamp>); must not hold an earlier run")
            .option("--deadline", "DURATION", "how long any wait for other ranks may take (as for slipstream local)")
            .flag("--verbose", "show every rank's output")
            .flag("--debug", "print stack traces for errors")
            .flag("--help", "show this help");
    }

    static String help()
    {
        return commandLine().help(NAME + " [-n N] [--run-dir DIR]",
            "The reference grid search (Iris random forest, 540 fits) on N local ranks, then scikit-learn's\n" +
            "GridSearchCV n_jobs=N on the same grid (needs /usr/bin/python3 with scikit-learn:\n" +
            "jmh/peers/install-peers.sh). Prints both lines and the ratio of their wall times; Slipstream's\n" +
            "wall_s includes starting its rank JVMs, scikit-learn's is GridSearchCV.fit and the test score.\n" +
            "Exit code: the Slipstream run's when it failed, 1 when scikit-learn failed, else 0.\n" +
            "Example: slipstream bench search -n 2");
    }

    int execute(final List<String> args) throws Exception
    {
        final CommandLine line = commandLine().parse(args);
        if (line.has("--help"))
        {
            out.print(help());
            return ExitCode.OK;
        }
        if (!line.positionals().isEmpty())
        {
            throw new UsageException(NAME + " takes no file or word, got " + String.join(" ", line.positionals()) +
                "; it runs " + SearchBenchmark.Options.REFERENCE_JOB + " (see " + NAME + " --help)");
        }
        final int ranks = line.integer("-n", DEFAULT_RANKS, 1, 1024);
        final Path runDir = line.has("--run-dir") ? Path.of(line.value("--run-dir", "")) :
            Path.of("runs", "bench-search-" + RunDirectory.timestamp(Instant.now()));
        final SearchBenchmark.Options options = SearchBenchmark.Options.reference(MpiPeer.home(), ranks, runDir);
        final List<String> passed = new ArrayList<>();
        if (line.has("--deadline"))
        {
            passed.add("--deadline");
            passed.add(line.value("--deadline", ""));
        }
        for (final String flag : List.of("--verbose", "--debug"))
        {
            if (line.has(flag))
            {
                passed.add(flag);
            }
        }
        final SearchBenchmark.LocalRun localRun = (n, jobFile, dir) ->
        {
            final List<String> localArgs = new ArrayList<>(List.of("-n", Integer.toString(n), "--run-dir",
                dir.toString()));
            localArgs.addAll(passed);
            localArgs.add(jobFile.toString());
            return new LocalCommand(out, env).execute(localArgs);
        };
        return new SearchBenchmark(options, localRun, out).run();
    }
}
