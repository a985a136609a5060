package io.slipstream.launcher.cli;

import io.slipstream.comm.DataType;
import io.slipstream.comm.ReduceOp;
import io.slipstream.comm.TransportKind;
import io.slipstream.comm.bench.AllreduceBenchmark;
import io.slipstream.launcher.signal.ExitCode;
import io.slipstream.launcher.workload.BenchWorkload;
import io.slipstream.launcher.workload.ByteSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code slipstream bench allreduce}, in the group {@code slipstream bench} ({@link Group}) beside
 * {@link TrainBenchCommand} and {@link SearchBenchCommand}: comm's allreduce table (sizes doubling, median time,
 * algbw, busbw, wrong elements). With {@code -n N} it starts N local ranks that each run it; without, this process
 * is one rank (under srun, mpirun or torchrun). Exits 1 if any element was wrong.
 */
@Command(name = "allreduce", synopsisHeading = "usage: ", optionListHeading = "%noptions:%n", sortOptions = false,
    header = "the allreduce benchmark, on local ranks (-n N) or as one rank under srun",
    customSynopsis = "slipstream bench allreduce [-n N] [options]",
    description = {
        "The allreduce benchmark in the style of nccl-tests: one line per size with the median time of the",
        "slowest rank, algorithm and bus bandwidth, and wrong elements (checked at every size).",
        "Examples: slipstream bench allreduce -n 4 --transport ipc",
        "          srun -N2 --ntasks-per-node=2 slipstream bench allreduce --sizes 1K:16M"})
final class BenchCommand implements Leaf
{
    static final String NAME = "slipstream bench allreduce";

    private final PrintStream out;
    private final PrintStream log;
    private final Map<String, String> env;

    BenchCommand(final PrintStream out, final PrintStream log, final Map<String, String> env)
    {
        this.out = out;
        this.log = log;
        this.env = env;
    }

    @Option(names = "-n", paramLabel = "N", converter = Converters.Ranks.class,
        description = "start N ranks on this machine (default: this process is one rank, e.g. under srun)")
    private Integer ranks;
    @Option(names = "--sizes", paramLabel = "MIN:MAX",
        description = "message sizes in bytes, doubling from MIN to MAX (default 8:64M)")
    private String sizes = "8:64M";
    @Option(names = "--iterations", paramLabel = "N", converter = Converters.Iterations.class,
        description = "timed iterations per size (default 200; fewer for large sizes)")
    private Integer iterations;
    @Option(names = "--warmup", paramLabel = "N", converter = Converters.Warmup.class,
        description = "untimed iterations per size (default 20)")
    private Integer warmup;
    @Option(names = "--type", paramLabel = "float32|float64|int32|int64", converter = Converters.ElementType.class,
        completionCandidates = Converters.TypeNames.class, description = "element type (default float32)")
    private DataType type = DataType.FLOAT32;
    @Option(names = "--op", paramLabel = "sum|max|min", converter = Converters.Op.class,
        completionCandidates = Converters.OpNames.class, description = "reduction (default sum)")
    private ReduceOp op = ReduceOp.SUM;
    @Option(names = "--peer", paramLabel = "mpi|gloo", description = "also run OpenMPI's MPI_Allreduce or PyTorch " +
        "gloo's all_reduce on the same ranks and sizes (needs -n), then print both per size with busbw_ratio = " +
        "slipstream / peer; with --transport udp, MPI is restricted to TCP")
    private String peer;
    @Mixin
    private CommonOptions common;
    @Mixin
    private RankOptions rank;
    @Parameters(arity = "0..*", hidden = true)
    private List<String> positionals = new ArrayList<>();

    /** {@code slipstream bench}: the benchmarks' group; without a benchmark name it is refused in one line. */
    @Command(name = "bench", synopsisHeading = "usage: ", commandListHeading = "%nbenchmarks:%n",
        optionListHeading = "%noptions:%n",
        header = "the benchmarks: allreduce, train, search", customSynopsis = "slipstream bench BENCHMARK [options]",
        description = "Run 'slipstream bench BENCHMARK --help' for a benchmark's options.",
        subcommands = {BenchCommand.class, TrainBenchCommand.class, SearchBenchCommand.class})
    static final class Group implements Leaf
    {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
        private boolean help;

        @Override
        public int execute(final List<String> args)
        {
            throw new UsageException("slipstream bench needs a benchmark name: allreduce, train or search (see " +
                "slipstream bench --help)");
        }
    }

    @Override
    public int execute(final List<String> rest) throws Exception
    {
        if (!positionals.isEmpty())
        {
            throw new UsageException(NAME + " takes no file or word, got " + String.join(" ", positionals) +
                "; see " + NAME + " --help");
        }
        final AllreduceBenchmark.Options options = options();
        final BenchWorkload job = new BenchWorkload(options);
        if (peer != null)
        {
            if (!"mpi".equals(peer) && !"gloo".equals(peer))
            {
                throw new UsageException("--peer '" + peer + "' is not known; use mpi or gloo");
            }
            if (ranks == null)
            {
                throw new UsageException("--peer " + peer + " runs on local ranks; give -n N");
            }
            if ("mpi".equals(peer))
            {
                MpiPeer.check(options);
            }
            else
            {
                GlooPeer.check(options);
            }
        }
        if (ranks != null)
        {
            final List<String> rankArgs = LocalCommand.rankArgs(List.of("bench", "allreduce"), rest, "-n", "--peer");
            if (peer == null)
            {
                return new LocalCommand(out, env).launch(ranks, rankArgs, rank.transport(), common.verbose());
            }
            return compareWithPeer(peer, ranks, rankArgs, options, common, rank.transport());
        }
        return new RunCommand(out, log, env).runRank(job, "bench-allreduce", common, rank);
    }

    private int compareWithPeer(
        final String peer,
        final int ranks,
        final List<String> rankArgs,
        final AllreduceBenchmark.Options options,
        final CommonOptions common,
        final TransportKind transport) throws Exception
    {
        final LineRecorder recorder = new LineRecorder(out);
        final PrintStream recorded = recorder.printStream();
        final int status = new LocalCommand(recorded, env).launch(ranks, rankArgs, transport, common.verbose());
        recorded.flush();
        if (status != ExitCode.OK)
        {
            return status;
        }
        final List<AllreduceTable.Row> slipstream = AllreduceTable.parse(recorder.takeLines());
        final TransportKind used = WorldConnection.transport(transport, env);
        final boolean tcpOnly = used == TransportKind.UDP;
        final long timeoutNanos = common.deadlineNanos() * 10;
        final int peerStatus = "mpi".equals(peer) ?
            new MpiPeer(MpiPeer.home(), recorded).run(ranks, options, timeoutNanos, tcpOnly) :
            new GlooPeer(MpiPeer.home(), recorded).run(ranks, options, timeoutNanos);
        recorded.flush();
        if (peerStatus != ExitCode.OK)
        {
            return peerStatus;
        }
        final List<AllreduceTable.Row> peerRows = AllreduceTable.parse(recorder.takeLines());
        PeerComparison.print(out, title(peer, ranks, used), peer, slipstream, peerRows);
        return ExitCode.OK;
    }

    static String title(final String peer, final int ranks, final TransportKind transport)
    {
        final boolean tcpOnly = transport == TransportKind.UDP;
        final String them = "mpi".equals(peer) ?
            "OpenMPI" + (tcpOnly ? " restricted to TCP (--mca btl tcp,self)" : " (its default transports)") :
            "PyTorch gloo (TCP on 127.0.0.1)";
        return "slipstream (transport " + Converters.name(transport) + ") vs " + them + ", " + ranks +
            " ranks, busbw_ratio = slipstream / " + peer;
    }

    private AllreduceBenchmark.Options options()
    {
        final AllreduceBenchmark.Options defaults = AllreduceBenchmark.Options.defaults();
        final int colon = sizes.indexOf(':');
        try
        {
            final long min = ByteSize.parse("--sizes", colon < 0 ? sizes : sizes.substring(0, colon));
            final long max = ByteSize.parse("--sizes", colon < 0 ? sizes : sizes.substring(colon + 1));
            return new AllreduceBenchmark.Options(min, max, iterations != null ? iterations : defaults.iterations(),
                warmup != null ? warmup : defaults.warmup(), type, op);
        }
        catch (final UsageException ex)
        {
            throw ex;
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UsageException(ex.getMessage());
        }
    }
}
