package io.slipstream.launcher.cli;

import io.slipstream.launcher.job.Job;
import io.slipstream.launcher.signal.ExitCode;
import io.slipstream.trainer.bench.ScalingBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code slipstream bench train}: data-parallel training throughput ({@link ScalingBenchmark}). With {@code -n N}
 * it runs the MLP on 1 local rank, then on N local ranks (each with {@code --threads} ND4J threads, OpenMP capped
 * to match, and bound to the same share of the CPUs: the 1-rank baseline gets the share one of the N ranks gets,
 * not the whole machine), and prints both and the speed-up; without, this process is one rank of a world started
 * by srun, mpirun or torchrun and rank 0 prints the world's line.
 */
@Command(name = "train", synopsisHeading = "usage: ", optionListHeading = "%noptions:%n", sortOptions = false,
    header = "data-parallel MLP training: samples/s on N local ranks against 1 rank",
    customSynopsis = "slipstream bench train [-n N] [options]",
    description = {
        "Data-parallel training throughput: an MLP on synthetic data, trained through the data-parallel",
        "trainer. Prints samples/s of the world, the step time and the share of step time spent in",
        "communication; with -n N, first on 1 rank and then on N, and the speed-up N ranks / 1 rank.",
        "Each rank, the lone one too, is bound to 1/N of the CPUs (SLIPSTREAM_CPU_BIND=none: unbound).",
        "Examples: slipstream bench train -n 2",
        "          srun -N2 --ntasks-per-node=1 slipstream bench train --threads 4"})
final class TrainBenchCommand implements Leaf
{
    static final String NAME = "slipstream bench train";

    private final PrintStream out;
    private final PrintStream log;
    private final Map<String, String> env;

    TrainBenchCommand(final PrintStream out, final PrintStream log, final Map<String, String> env)
    {
        this.out = out;
        this.log = log;
        this.env = env;
    }

    @Option(names = "-n", paramLabel = "N", converter = Converters.Ranks.class,
        description = "compare N local ranks with 1 local rank (default: this process is one rank, e.g. under srun)")
    private Integer ranks;
    @Option(names = "--layers", paramLabel = "W,W,...",
        description = "MLP layer widths, input first, classes last (default 784,1024,1024,10)")
    private String layers;
    @Option(names = "--batch", paramLabel = "N", converter = Converters.Batch.class,
        description = "samples per rank per step (default 256)")
    private Integer batch;
    @Option(names = "--steps", paramLabel = "N", converter = Converters.Steps.class,
        description = "timed steps (default 20)")
    private Integer steps;
    @Option(names = "--warmup", paramLabel = "N", converter = Converters.Warmup.class,
        description = "untimed steps before them (default 3)")
    private Integer warmup;
    @Option(names = "--threads", paramLabel = "N", converter = Converters.Threads.class,
        description = "ND4J threads per rank (default 1)")
    private Integer threads;
    @Mixin
    private CommonOptions common;
    @Mixin
    private RankOptions rank;
    @Parameters(arity = "0..*", hidden = true)
    private List<String> positionals = new ArrayList<>();

    @Override
    public int execute(final List<String> rest) throws Exception
    {
        if (!positionals.isEmpty())
        {
            throw new UsageException(NAME + " takes no file or word, got " + String.join(" ", positionals) +
                "; see " + NAME + " --help");
        }
        final ScalingBenchmark.Options options = options();
        if (ranks == null)
        {
            return new RunCommand(out, log, env).runRank(job(options), "bench-train", common, rank);
        }
        final List<String> rankArgs = LocalCommand.rankArgs(List.of("bench", "train"), rest, "-n");
        // OpenMP reads its thread count only at process start: each rank JVM gets it from its environment.
        final Map<String, String> rankEnv = new HashMap<>(env);
        rankEnv.put(LocalCommand.OMP_THREADS, Integer.toString(options.threads()));
        final LineRecorder recorder = new LineRecorder(out);
        final PrintStream recorded = recorder.printStream();
        // The 1-rank baseline gets what one rank of the N-rank run gets: the same CPU share (bound as local binds).
        final ScalingBenchmark.Result one = measure(1, ranks, rankArgs, rankEnv, recorded, recorder, common);
        if (one == null)
        {
            return ExitCode.FAILED;
        }
        final ScalingBenchmark.Result many = measure(ranks, ranks, rankArgs, rankEnv, recorded, recorder, common);
        if (many == null)
        {
            return ExitCode.FAILED;
        }
        out.printf(Locale.ROOT, "speed-up of %d ranks over 1 rank: %.2fx samples/s (%d ND4J thread(s) per rank; " +
            "%.1f%% of step time in communication at %d ranks)%n", ranks, many.samplesPerSecond() /
            one.samplesPerSecond(), options.threads(), 100 * many.commFraction(), ranks);
        return ExitCode.OK;
    }

    private ScalingBenchmark.Result measure(
        final int ranks,
        final int cpuShares,
        final List<String> rankArgs,
        final Map<String, String> rankEnv,
        final PrintStream recorded,
        final LineRecorder recorder,
        final CommonOptions common) throws Exception
    {
        final int status = new LocalCommand(recorded, rankEnv).launch(ranks, cpuShares, rankArgs, null, common.verbose());
        recorded.flush();
        ScalingBenchmark.Result result = null;
        for (final String recordedLine : recorder.takeLines())
        {
            final ScalingBenchmark.Result parsed = ScalingBenchmark.parse(recordedLine);
            result = parsed != null ? parsed : result;
        }
        if (status != ExitCode.OK || result == null)
        {
            out.println(NAME + ": the run on " + ranks + " rank(s) " + (status != ExitCode.OK ?
                "ended with " + ExitCode.describe(status) : "printed no result line") + "; see its output above");
            return null;
        }
        return result;
    }

    private static Job job(final ScalingBenchmark.Options options)
    {
        return (context) ->
        {
            final ScalingBenchmark.Result result = ScalingBenchmark.run(context.world(), options);
            if (context.world().rank() == 0)
            {
                context.out().println(result.line());
            }
            return ExitCode.OK;
        };
    }

    private ScalingBenchmark.Options options()
    {
        final ScalingBenchmark.Options defaults = ScalingBenchmark.Options.defaults();
        final int[] widths;
        if (layers != null)
        {
            try
            {
                widths = Arrays.stream(layers.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
            }
            catch (final NumberFormatException ex)
            {
                throw new UsageException("--layers '" + layers + "' is not a list of widths; use e.g. " +
                    "784,1024,1024,10");
            }
        }
        else
        {
            widths = defaults.layers();
        }
        try
        {
            return new ScalingBenchmark.Options(widths, batch != null ? batch : defaults.batch(),
                steps != null ? steps : defaults.steps(), warmup != null ? warmup : defaults.warmup(),
                threads != null ? threads : defaults.threads());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UsageException(ex.getMessage());
        }
    }
}
