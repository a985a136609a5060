package io.slipstream.launcher.cli;

import io.slipstream.launcher.job.Job;
import io.slipstream.launcher.signal.ExitCode;
import io.slipstream.launcher.spec.SpecNode;
import io.slipstream.launcher.topology.EnvReader;
import io.slipstream.launcher.train.CheckpointedExperiment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.File;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code slipstream validate JOB.yaml}: every check a run makes before its ranks start work, without starting any:
 * the environment ({@link EnvReader#checkAll}, {@link WorldConnection#checkSwitches}), the whole spec with its
 * overrides and model family, the data (read as a run reads it, so a bad header, label or row is the run's one
 * line), and with {@code -n N} the grouping of N ranks. Prints what would run; exit 0 when valid, 2 with one line
 * when not.
 */
@Command(name = "validate", synopsisHeading = "usage: ", optionListHeading = "%noptions:%n", sortOptions = false,
    header = "check a job spec, its data and the environment without starting ranks; print what would run",
    customSynopsis = "slipstream validate [-n N] [--set KEY=VALUE]... [--classpath CP] JOB.yaml",
    description = {
        "Checks JOB.yaml as run and local do before any rank starts: the spec (with --set overrides), the model",
        "family (yours with --classpath), the data files (header, label column, every row) and the environment",
        "variables. Prints the data, the settings x folds and the fits they make, and with -n N how N ranks are",
        "grouped. Exit codes: 0 valid, 2 not (one line naming the problem)."})
final class ValidateCommand implements Leaf
{
    static final String NAME = "slipstream validate";

    private final PrintStream out;
    private final Map<String, String> env;

    @Option(names = "-n", paramLabel = "N", converter = Converters.Ranks.class,
        description = "also check and show the grouping of N ranks")
    private Integer ranks;
    @Mixin
    private SpecOptions specOptions;
    @Mixin
    private ClasspathOption classpath;
    @Option(names = "--seed", paramLabel = "N", converter = Converters.Seed.class,
        description = "job seed, for random searches (default " + CommonOptions.DEFAULT_SEED + ")")
    private long seed = CommonOptions.DEFAULT_SEED;
    // Read by Slipstream.execute from the arguments as given, before any parsing.
    @Option(names = "--debug", description = "print stack traces for errors")
    private boolean debug;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    private boolean help;
    @Parameters(paramLabel = "JOB.yaml", arity = "0..*", description = "the job spec")
    private List<String> positionals = new ArrayList<>();

    ValidateCommand(final PrintStream out, final PrintStream err, final Map<String, String> env)
    {
        this.out = out;
        this.env = env;
    }

    @Override
    public int execute(final List<String> args)
    {
        final Path jobFile = Path.of(Slipstream.onePositional(NAME, positionals, "job file (JOB.yaml)"));
        EnvReader.checkAll(env);
        WorldConnection.checkSwitches(env);
        final SpecNode spec = specOptions.load(jobFile);
        final Job job = JobCatalog.fromSpec(spec, classpath.families());
        final String name = JobCatalog.name(spec);
        final List<String> plan = new ArrayList<>();
        if (job instanceof CheckpointedExperiment)
        {
            plan.addAll(((CheckpointedExperiment)job).experiment().plan(seed, ranks == null ? 0 : ranks));
        }
        else
        {
            plan.add("workload: " + spec.child("workload").string("kind", "smoke") + (ranks == null ? "" :
                " on " + ranks + " rank(s)"));
        }
        out.println(NAME + ": " + jobFile + " is valid: job '" + name + "'");
        for (final String line : plan)
        {
            out.println("  " + line);
        }
        return ExitCode.OK;
    }
}
