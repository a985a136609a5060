package io.slipstream.launcher.cli;

import io.slipstream.comm.DataType;
import io.slipstream.comm.ReduceOp;
import io.slipstream.comm.bench.AllreduceBenchmark;
import io.slipstream.launcher.signal.ExitCode;
import io.slipstream.launcher.workload.BenchWorkload;
import io.slipstream.launcher.workload.ByteSize;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * {@code slipstream bench allreduce|train|search}: {@code search} is {@link SearchBenchCommand}'s, {@code train}
 * {@link TrainBenchCommand}'s;
 * {@code allreduce} is comm's allreduce table (sizes doubling, median time, algbw, busbw,
 * wrong elements). With {@code -n N} it starts N local ranks that each run it; without, this process is
 * one rank (under srun, mpirun or torchrun). Exits 1 if any element was wrong.
 */
final class BenchCommand
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

    static CommandLine commandLine()
    {
        return RunCommand.rankOptions(new CommandLine(NAME).common())
            .option("-n", "N", "start N ranks on this machine (default: this process is one rank, e.g. under srun)")
            .option("--sizes", "MIN:MAX", "message sizes in bytes, doubling from MIN to MAX (default 8:64M)")
            .option("--iterations", "N", "timed iterations per size (default 200; fewer for large sizes)")
            .option("--warmup", "N", "untimed iterations per size (default 20)")
            .option("--type", "float32|float64|int32|int64", "element type (default float32)")
            .option("--op", "sum|max|min", "reduction (default sum)")
            .option("--peer", "mpi|gloo", "also run OpenMPI's MPI_Allreduce or PyTorch gloo's all_reduce on the same ranks " +
                "and sizes (needs -n), then print both per size with busbw_ratio = slipstream / peer; with " +
                "--transport udp, MPI is restricted to TCP");
    }

    static String help()
    {
        return commandLine().help(NAME + " [options]",
            "The allreduce benchmark in the style of nccl-tests: one line per size with the median time of the\n" +
            "slowest rank, algorithm and bus bandwidth, and wrong elements (checked at every size).\n" +
            "Examples: slipstream bench allreduce -n 4 --transport ipc\n" +
            "          srun -N2 --ntasks-per-node=2 slipstream bench allreduce --sizes 1K:16M");
    }

    int execute(final List<String> args) throws Exception
    {
        final String benchmark = args.isEmpty() ? "" : args.get(0);
        switch (benchmark)
        {
            case "allreduce":
                return allreduce(args.subList(1, args.size()));
            case "search":
                return new SearchBenchCommand(out, env).execute(args.subList(1, args.size()));
            case "train":
                return new TrainBenchCommand(out, log, env).execute(args.subList(1, args.size()));
            case "--help":
            case "-h":
                out.print(help());
                out.println();
                out.print(TrainBenchCommand.help());
                out.println();
                out.print(SearchBenchCommand.help());
                return ExitCode.OK;
            default:
                throw new UsageException("slipstream bench needs a benchmark name: allreduce, train or search" +
                    (benchmark.isEmpty() ? "" : ", not '" + benchmark + "'") + " (see slipstream bench --help)");
        }
    }

    private int allreduce(final List<String> rest) throws Exception
    {
        final CommandLine line = commandLine().parse(rest);
        if (line.has("--help"))
        {
            out.print(help());
            return ExitCode.OK;
        }
        if (!line.positionals().isEmpty())
        {
            throw new UsageException(NAME + " takes no file or word, got " + String.join(" ", line.positionals()) +
                "; see " + NAME + " --help");
        }
        final CommonOptions common = CommonOptions.from(line);
        final AllreduceBenchmark.Options options = options(line);
        final BenchWorkload job = new BenchWorkload(options);
        if (line.has("--peer"))
        {
            final String peer = line.value("--peer", "");
            if (!"mpi".equals(peer) && !"gloo".equals(peer))
            {
                throw new UsageException("--peer '" + peer + "' is not known; use mpi or gloo");
            }
            if (!line.has("-n"))
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
        if (line.has("-n"))
        {
            final int ranks = line.integer("-n", 1, 1, 1024);
            final List<String> rankArgs = LocalCommand.rankArgs(List.of("bench", "allreduce"), rest, "-n", "--peer");
            if (!line.has("--peer"))
            {
                return new LocalCommand(out, env).launch(ranks, rankArgs, common.verbose());
            }
            return compareWithPeer(line.value("--peer", ""), ranks, rankArgs, options, common,
                line.value("--transport", env.getOrDefault(WorldConnection.TRANSPORT, "auto")));
        }
        return new RunCommand(out, log, env).runRank(job, "bench-allreduce", common, line);
    }

    private int compareWithPeer(
        final String peer,
        final int ranks,
        final List<String> rankArgs,
        final AllreduceBenchmark.Options options,
        final CommonOptions common,
        final String transport) throws Exception
    {
        final LineRecorder recorder = new LineRecorder(out);
        final PrintStream recorded = recorder.printStream();
        final int status = new LocalCommand(recorded, env).launch(ranks, rankArgs, common.verbose());
        recorded.flush();
        if (status != ExitCode.OK)
        {
            return status;
        }
        final List<AllreduceTable.Row> slipstream = AllreduceTable.parse(recorder.takeLines());
        final boolean tcpOnly = "udp".equals(transport);
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
        PeerComparison.print(out, title(peer, ranks, transport, tcpOnly), peer, slipstream, peerRows);
        return ExitCode.OK;
    }

    static String title(final String peer, final int ranks, final String transport, final boolean tcpOnly)
    {
        final String them = "mpi".equals(peer) ?
            "OpenMPI" + (tcpOnly ? " restricted to TCP (--mca btl tcp,self)" : " (its default transports)") :
            "PyTorch gloo (TCP on 127.0.0.1)";
        return "slipstream (transport " + transport + ") vs " + them + ", " + ranks + " ranks, busbw_ratio = " +
            "slipstream / " + peer;
    }

    static AllreduceBenchmark.Options options(final CommandLine line)
    {
        final AllreduceBenchmark.Options defaults = AllreduceBenchmark.Options.defaults();
        final String sizes = line.value("--sizes", "8:64M");
        final int colon = sizes.indexOf(':');
        try
        {
            final long min = ByteSize.parse("--sizes", colon < 0 ? sizes : sizes.substring(0, colon));
            final long max = ByteSize.parse("--sizes", colon < 0 ? sizes : sizes.substring(colon + 1));
            final DataType type = switch (line.value("--type", "float32"))
            {
                case "float32" -> DataType.FLOAT32;
                case "float64" -> DataType.FLOAT64;
                case "int32" -> DataType.INT32;
                case "int64" -> DataType.INT64;
                default -> throw new UsageException("--type '" + line.value("--type", "") +
                    "' is not known; use float32, float64, int32 or int64");
            };
            final ReduceOp op = switch (line.value("--op", "sum"))
            {
                case "sum" -> ReduceOp.SUM;
                case "max" -> ReduceOp.MAX;
                case "min" -> ReduceOp.MIN;
                default -> throw new UsageException("--op '" + line.value("--op", "") + "' is not known; use sum, " +
                    "max or min");
            };
            return new AllreduceBenchmark.Options(min, max, line.integer("--iterations", defaults.iterations(), 1,
                1_000_000), line.integer("--warmup", defaults.warmup(), 0, 1_000_000), type, op);
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
