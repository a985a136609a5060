package io.slipstream.launcher.cli;

import io.slipstream.launcher.bench.SearchBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
@Command(name = "search", synopsisHeading = "usage: ", optionListHeading = "%noptions:%n", sortOptions = false,
    header = "the reference grid search on N local ranks against scikit-learn's, same grid",
    customSynopsis = "slipstream bench search [-n N] [--run-dir DIR]",
    description = {
        "The reference grid search (Iris random forest, 540 fits) on N local ranks, then scikit-learn's",
        "GridSearchCV n_jobs=N on the same grid (needs /usr/bin/python3 with scikit-learn:",
        "jmh/peers/install-peers.sh). Prints both lines and the ratio of their wall times; Slipstream's",
        "wall_s includes starting its rank JVMs, scikit-learn's is GridSearchCV.fit and the test score.",
        "Exit code: the Slipstream run's when it failed, 1 when scikit-learn failed, else 0.",
        "Example: slipstream bench search -n 2"})
final class SearchBenchCommand implements Leaf
{
    static final String NAME = "slipstream bench search";
    private static final int DEFAULT_RANKS = 2;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    SearchBenchCommand(final PrintStream out, final PrintStream err, final Map<String, String> env)
    {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    @Option(names = "-n", paramLabel = "N", converter = Converters.Ranks.class,
        description = "local ranks, and scikit-learn's n_jobs (default " + DEFAULT_RANKS + ")")
    private int ranks = DEFAULT_RANKS;
    @Option(names = "--run-dir", paramLabel = "DIR", description = "the Slipstream run's directory, kept afterwards " +
        "(default runs/bench-search-<timestamp>); must not hold an earlier run")
    private Path runDirOption;
    @Option(names = "--deadline", paramLabel = "DURATION", converter = Converters.Deadline.class,
        description = "how long any wait for other ranks may take (as for slipstream local)")
    private CommonOptions.Deadline deadline;
    @Option(names = "--verbose", description = "show every rank's output")
    private boolean verbose;
    @Option(names = "--debug", description = "print stack traces for errors")
    private boolean debug;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    private boolean help;
    @Parameters(arity = "0..*", hidden = true)
    private List<String> positionals = new ArrayList<>();

    @Override
    public int execute(final List<String> args) throws Exception
    {
        if (!positionals.isEmpty())
        {
            throw new UsageException(NAME + " takes no file or word, got " + String.join(" ", positionals) +
                "; it runs " + SearchBenchmark.Options.REFERENCE_JOB + " (see " + NAME + " --help)");
        }
        final Path runDir = runDirOption != null ? runDirOption :
            Path.of("runs", "bench-search-" + RunDirectory.timestamp(Instant.now()));
        final SearchBenchmark.Options options = SearchBenchmark.Options.reference(MpiPeer.home(), ranks, runDir);
        final List<String> passed = new ArrayList<>();
        if (deadline != null)
        {
            passed.add("--deadline");
            passed.add(deadline.text());
        }
        if (verbose)
        {
            passed.add("--verbose");
        }
        if (debug)
        {
            passed.add("--debug");
        }
        final SearchBenchmark.LocalRun localRun = (n, jobFile, dir) ->
        {
            final List<String> localArgs = new ArrayList<>(List.of("-n", Integer.toString(n), "--run-dir",
                dir.toString()));
            localArgs.addAll(passed);
            localArgs.add(jobFile.toString());
            return new Slipstream(out, err, env).dispatch(localArgs.toArray(new String[0]));
        };
        return new SearchBenchmark(options, localRun, out).run();
    }
}
