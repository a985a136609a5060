package io.slipstream.launcher.cli;

import io.slipstream.comm.CommConfig;
import io.slipstream.comm.JvmFlags;
import io.slipstream.comm.TransportKind;
import io.slipstream.comm.transport.DriverHost;
import io.slipstream.kernels.ComputeThreads;
import io.slipstream.launcher.local.CpuBinding;
import io.slipstream.launcher.local.LocalLauncher;
import io.slipstream.launcher.local.ParentWatch;
import io.slipstream.launcher.signal.CheckpointSignal;
import io.slipstream.launcher.signal.TerminationSignals;
import io.slipstream.launcher.spec.SpecNode;
import io.slipstream.launcher.topology.HostIdentity;
import io.slipstream.launcher.topology.Topology;
import io.slipstream.launcher.topology.TopologyDetector;
import org.agrona.IoUtil;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code slipstream local -n N JOB.yaml}: validates the job, then runs N rank JVMs on this machine, each
 * {@code slipstream run} with its place, the coordinator (127.0.0.1 and a free port), a fresh job id
 * and a fresh secret in its environment (the secret only there), bound to its own share of the CPUs when there
 * are enough and the transport is not UDP ({@link CpuBinding}), and OpenMP capped to that share. Also the engine
 * of {@code bench allreduce -n N} and {@code bench train -n N}.
 */
@Command(name = "local", synopsisHeading = "usage: ", optionListHeading = "%noptions:%n", sortOptions = false,
    header = "run a job on N ranks on this machine",
    customSynopsis = {
        "slipstream local -n N [options] [--set KEY=VALUE]... [--classpath CP] JOB.yaml",
        "       slipstream local -n N [options] [--classpath CP] --main CLASS [ARGS...]",
        "       slipstream local -n N [options] -jar APP.jar [ARGS...]"},
    description = {
        "Runs JOB.yaml, or your own program (which calls io.slipstream.api.Slipstream.join()), on N ranks on this",
        "machine, one JVM each; your program finds its run directory in SLIPSTREAM_RUN_DIR. Rank 0's output is",
        "shown, prefixed [rank 0] (every rank's with --verbose). If a rank fails, the others are stopped and its",
        "status is the exit code; Ctrl-C or SIGTERM stops all ranks; SIGUSR1 is passed on to every rank, so the",
        "job checkpoints and stops (exit 3). Ranks end themselves if this process is killed.",
        "--set overrides go to every rank; rank 0 saves the effective spec as spec.effective.yaml in the run",
        "directory."})
final class LocalCommand implements Leaf
{
    static final String NAME = "slipstream local";
    static final String MAIN_CLASS = "io.slipstream.launcher.cli.Slipstream";
    /** OpenMP's thread count; ranks get {@code cores / ranks} unless it is set already. */
    static final String OMP_THREADS = "OMP_NUM_THREADS";
    private static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final String LOOPBACK = "127.0.0.1";

    private final PrintStream out;
    private final Map<String, String> env;

    /** The command as picocli builds it ({@code err} is unused: rank 0's output and errors go to {@code out}). */
    LocalCommand(final PrintStream out, final PrintStream err, final Map<String, String> env)
    {
        this(out, env);
    }

    /** The rank starter for commands that start their own ranks (bench). */
    LocalCommand(final PrintStream out, final Map<String, String> env)
    {
        this.out = out;
        this.env = env;
    }

    @Option(names = "-n", paramLabel = "N", required = true, converter = Converters.Ranks.class,
        description = "number of ranks (required)")
    private int ranks;
    @Mixin
    private CommonOptions common;
    @Mixin
    private SpecOptions specOptions;
    @Option(names = "--transport", paramLabel = "auto|ipc|udp", converter = Converters.Transport.class,
        completionCandidates = Converters.TransportNames.class,
        description = "how ranks exchange data (default auto: IPC on this machine)")
    private TransportKind transport;
    @Mixin
    private ClasspathOption classpath;
    @Mixin
    private ProgramOptions program;
    @Parameters(paramLabel = "JOB.yaml", arity = "0..*", description = "the job spec")
    private List<String> positionals = new ArrayList<>();

    @Override
    public int execute(final List<String> args) throws IOException
    {
        final int programStart = UserProgram.start(args);
        if (programStart >= 0)
        {
            return executeProgram(UserProgram.parse(NAME, args, programStart, classpath));
        }
        final Path jobFile = Path.of(Slipstream.onePositional(NAME, positionals, "job file (JOB.yaml)"))
            .toAbsolutePath();
        final SpecNode spec = specOptions.load(jobFile);
        JobCatalog.fromSpec(spec, classpath.families());
        final String jobName = JobCatalog.name(spec);
        final Path runDir = RunDirectory.create(common.runDir() != null ? common.runDir() :
            Path.of("runs", jobName + "-" + RunDirectory.timestamp(Instant.now())));

        final List<String> rankArgs = new ArrayList<>(List.of("run", jobFile.toString(), "--run-dir", runDir.toString(),
            "--seed", Long.toString(common.seed()), "--deadline", TimeUnit.NANOSECONDS.toMillis(common.deadlineNanos()) +
            "ms"));
        if (common.debug())
        {
            rankArgs.add("--debug");
        }
        if (common.verbose())
        {
            rankArgs.add("--verbose");
        }
        if (transport != null)
        {
            rankArgs.add("--transport");
            rankArgs.add(Converters.name(transport));
        }
        if (classpath.given())
        {
            rankArgs.add(UserProgram.CLASSPATH);
            rankArgs.add(classpath.joined());
        }
        // Every rank applies the same overrides to the same file: they all run one spec.
        rankArgs.addAll(specOptions.asArgs());
        out.println("slipstream local: " + ranks + " ranks of '" + jobName + "', run directory " + runDir);
        return launch(ranks, rankArgs, transport, common.verbose());
    }

    /** Runs {@code program} as {@code ranks} ranks: its main class in a JVM of its own each, joined by env. */
    private int executeProgram(final UserProgram program) throws IOException
    {
        final String name = program.mainClass().substring(program.mainClass().lastIndexOf('.') + 1);
        final Path runDir = RunDirectory.create(common.runDir() != null ? common.runDir() :
            Path.of("runs", name + "-" + RunDirectory.timestamp(Instant.now())));
        final Map<String, String> programEnv = new HashMap<>();
        programEnv.put(RankJoin.RUN_DIR, runDir.toString());
        programEnv.put(RankJoin.DEADLINE, TimeUnit.NANOSECONDS.toMillis(common.deadlineNanos()) + "ms");
        if (transport != null)
        {
            programEnv.put(WorldConnection.TRANSPORT, Converters.name(transport));
        }
        final boolean udp = WorldConnection.transport(transport, env) == TransportKind.UDP;
        final List<String> command = new ArrayList<>(jvm());
        command.add("-cp");
        command.add(program.rankClasspath());
        command.add(program.mainClass());
        command.addAll(program.args());
        out.println("slipstream local: " + ranks + " ranks of " + program.mainClass() + ", run directory " + runDir);
        return launch(ranks, ranks, command, programEnv, udp, common.verbose());
    }

    /**
     * A rank's command line for a command that also starts its ranks: {@code command} followed by {@code args}
     * without the options that only the starting process reads (each {@code launcherOnly} option with its value,
     * in both the {@code -n 2} and {@code -n=2} forms).
     */
    static List<String> rankArgs(final List<String> command, final List<String> args, final String... launcherOnly)
    {
        final List<String> rankArgs = new ArrayList<>(command);
        for (int i = 0; i < args.size(); i++)
        {
            final String arg = args.get(i);
            boolean dropped = false;
            for (final String option : launcherOnly)
            {
                if (arg.equals(option))
                {
                    i++;
                    dropped = true;
                }
                dropped |= arg.startsWith(option + "=");
            }
            if (!dropped)
            {
                rankArgs.add(arg);
            }
        }
        return rankArgs;
    }

    /**
     * Runs {@code ranks} rank JVMs of {@code slipstream <rankArgs>} and cleans up after them; {@code transport} is what
     * {@code rankArgs} give as {@code --transport} (null for none).
     */
    int launch(final int ranks, final List<String> rankArgs, final TransportKind transport, final boolean verbose)
        throws IOException
    {
        return launch(ranks, ranks, rankArgs, transport, verbose);
    }

    /**
     * As {@link #launch(int, List, TransportKind, boolean)}, with the CPUs split as for {@code cpuShares} ranks: each
     * rank gets the share it would have among that many (a 1-rank baseline bound like one rank of an N-rank run).
     */
    int launch(final int ranks, final int cpuShares, final List<String> rankArgs, final TransportKind transport,
        final boolean verbose) throws IOException
    {
        final List<String> command = new ArrayList<>(javaCommand());
        command.addAll(rankArgs);
        return launch(ranks, cpuShares, command, Map.of(), WorldConnection.transport(transport, env) ==
            TransportKind.UDP, verbose);
    }

    /**
     * Runs {@code ranks} copies of {@code command} with the ranks' environment plus {@code extraEnv}; {@code udp}
     * when they will move data over UDP only (then they are not bound to CPUs).
     */
    private int launch(final int ranks, final int cpuShares, final List<String> command,
        final Map<String, String> extraEnv, final boolean udp, final boolean verbose) throws IOException
    {
        WorldConnection.checkSwitches(env);
        final String bind = env.get(CpuBinding.ENV);
        if (bind != null && !"none".equals(bind) && !"cores".equals(bind))
        {
            throw new UsageException(CpuBinding.ENV + "='" + bind + "' is not known; use cores (the default: each " +
                "rank on its own share of the CPUs) or none");
        }
        final String jobId = "local-" + ProcessHandle.current().pid() + "-" +
            HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        final String secret = WorldConnection.newSecret();
        final int port = freePort();
        final Map<String, String> rankEnv = new HashMap<>();
        rankEnv.put("SLIPSTREAM_SIZE", Integer.toString(ranks));
        rankEnv.put("SLIPSTREAM_LOCAL_SIZE", Integer.toString(ranks));
        rankEnv.put("SLIPSTREAM_NODE_INDEX", "0");
        rankEnv.put("SLIPSTREAM_JOB_ID", jobId);
        rankEnv.put("SLIPSTREAM_COORDINATOR", LOOPBACK + ":" + port);
        rankEnv.put("SLIPSTREAM_ADDR", LOOPBACK);
        rankEnv.put(WorldConnection.SECRET, secret);
        rankEnv.put(ParentWatch.PARENT_PID, Long.toString(ProcessHandle.current().pid()));
        // libnd4j's OpenMP loops take their thread count from the environment at process start only; without this
        // every rank starts one thread per core and N ranks oversubscribe the host N times (see ComputeThreads).
        rankEnv.put(OMP_THREADS, env.getOrDefault(OMP_THREADS,
            Integer.toString(ComputeThreads.perRank(Runtime.getRuntime().availableProcessors(), cpuShares))));
        rankEnv.putAll(extraEnv);

        // Over UDP the host's media driver moves every byte, and its threads live in rank 0's JVM: bound to rank 0's
        // CPUs they starve it (1-64 MiB allreduces measured 1.35-2.0 GB/s bound against 1.8-2.2 unbound).
        final LocalLauncher launcher = new LocalLauncher(ranks, command, rankEnv, verbose, out, STOP_GRACE_NANOS,
            udp ? null : CpuBinding.forLocalRanks(ranks, cpuShares, bind));
        TerminationSignals.route(launcher::requestStop);
        CheckpointSignal.route(launcher::requestCheckpoint);
        try
        {
            return launcher.run();
        }
        finally
        {
            removeDriverDirectory(rankEnv);
        }
    }

    /** The ranks' JVM: this JVM's java, classpath and the flags Aeron, comm's reduction and the natives need. */
    static List<String> javaCommand()
    {
        final List<String> command = jvm();
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(MAIN_CLASS);
        return command;
    }

    /** This JVM's java and the flags Aeron, comm's reduction and the natives need, without a classpath. */
    private static List<String> jvm()
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        boolean exportsMisc = false;
        boolean nativeAccess = false;
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (arg.startsWith("--add-exports") || arg.startsWith("--add-opens") || arg.startsWith("-Xmx") ||
                arg.startsWith("-Xss") || arg.startsWith("-Dorg.bytedeco") || arg.startsWith("--enable-native-access"))
            {
                command.add(arg);
                exportsMisc |= arg.contains("jdk.internal.misc");
                nativeAccess |= arg.startsWith("--enable-native-access");
            }
        }
        if (!exportsMisc)
        {
            command.add(JvmFlags.EXPORT_MISC);
        }
        if (!nativeAccess)
        {
            command.add(JvmFlags.NATIVE_ACCESS);
        }
        // comm reduces in place with SIMD lanes when the Vector API is there (VectorReducer).
        command.add(JvmFlags.VECTOR_API);
        // No /tmp/hsperfdata_<user>/<pid> file, which a rank killed with -9 would leave behind.
        command.add("-XX:-UsePerfData");
        return command;
    }

    /** Ranks remove their driver directory on any exit but kill -9; this catches that case too. */
    private void removeDriverDirectory(final Map<String, String> rankEnv)
    {
        final Map<String, String> rank0 = new HashMap<>(env);
        rank0.putAll(rankEnv);
        rank0.put("SLIPSTREAM_RANK", "0");
        rank0.put("SLIPSTREAM_LOCAL_RANK", "0");
        try
        {
            final Topology topology = new TopologyDetector(rank0, HostIdentity.machineId(), LOOPBACK).detect();
            final CommConfig config = WorldConnection.config(topology, rank0, TimeUnit.SECONDS.toNanos(1), null);
            final File dir = DriverHost.directoryFor(config);
            if (dir.exists())
            {
                IoUtil.delete(dir, true);
            }
        }
        catch (final RuntimeException ex)
        {
            out.println("slipstream local: could not check for a leftover driver directory: " + ex.getMessage());
        }
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK)))
        {
            return socket.getLocalPort();
        }
    }
}
