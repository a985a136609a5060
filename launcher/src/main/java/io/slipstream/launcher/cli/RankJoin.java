package io.slipstream.launcher.cli;

import io.slipstream.comm.CommConfig;
import io.slipstream.comm.Communicator;
import io.slipstream.comm.TransportKind;
import io.slipstream.launcher.local.ParentWatch;
import io.slipstream.launcher.signal.StopFlag;
import io.slipstream.launcher.topology.CoordinatorRendezvous;
import io.slipstream.launcher.topology.Topology;
import io.slipstream.launcher.topology.TopologyDetector;
import io.slipstream.launcher.topology.TopologyOverrides;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Makes this process one rank of its job, the same way for {@code slipstream run JOB.yaml} and for a user's
 * program that calls {@code io.slipstream.api.Slipstream.join()}: the topology from the environment (SLIPSTREAM_*,
 * SLURM, OpenMPI, PMI, torchrun-style), the owner-only run directory, rank 0's address (and, when no
 * {@code SLIPSTREAM_SECRET} is set, the job secret) through the run directory, the world, the stop flag on
 * SIGUSR1/SIGTERM/SIGINT, and the watch on a {@code slipstream local} parent. Bad input is a
 * {@link UsageException} or a {@code TopologyException}: one line naming the problem and the fix.
 */
public final class RankJoin
{
    /** Names the run directory a starting process chose for its ranks ({@code slipstream local --main}). */
    public static final String RUN_DIR = "SLIPSTREAM_RUN_DIR";
    /** Names the job for its default run directory ({@code runs/<name>-<job id>}); default the main class's name. */
    public static final String JOB_NAME = "SLIPSTREAM_JOB_NAME";
    /** How long any wait for other ranks may take, as {@code 500ms}, {@code 90s}, {@code 2m} (default 60s). */
    public static final String DEADLINE = "SLIPSTREAM_DEADLINE";

    /**
     * What joining gave this rank.
     *
     * @param topology its place, with rank 0's address filled in.
     * @param runDir   the owner-only run directory (absolute).
     * @param world    the connected world; close it to leave.
     * @param stop     set by SIGUSR1/SIGTERM/SIGINT; a job that polls it checkpoints and stops.
     */
    public record Joined(Topology topology, Path runDir, Communicator world, StopFlag stop)
    {
    }

    /**
     * What the command line says about joining, typed. A null field leaves that choice to the environment or the
     * default; {@link #over} lays one set over another.
     *
     * @param topology      {@code --coordinator}, {@code --addr}, {@code --host-id}.
     * @param runDir        the run directory; null for the default {@code runs/<jobName>-<job id or time>}.
     * @param jobName       names the default run directory.
     * @param deadlineNanos how long any wait for other ranks may take.
     * @param transport     auto, ipc or udp; null for {@code SLIPSTREAM_TRANSPORT} or auto.
     */
    public record Options(TopologyOverrides topology, Path runDir, String jobName, Long deadlineNanos,
        TransportKind transport)
    {
        static final Options NONE = new Options(null, null, null, null, null);

        /** These options, with {@code base}'s where these give none. */
        public Options over(final Options base)
        {
            return new Options(topology != null ? topology : base.topology, runDir != null ? runDir : base.runDir,
                jobName != null ? jobName : base.jobName, deadlineNanos != null ? deadlineNanos : base.deadlineNanos,
                transport != null ? transport : base.transport);
        }

        /**
         * What a program's environment says: {@value #RUN_DIR}, {@value #JOB_NAME} (else {@code defaultJobName}) and
         * {@value #DEADLINE} (else 60 s).
         */
        public static Options fromEnvironment(final Map<String, String> env, final String defaultJobName)
        {
            final String runDir = env.get(RUN_DIR);
            return new Options(null, runDir == null || runDir.isEmpty() ? null : Path.of(runDir),
                env.getOrDefault(JOB_NAME, defaultJobName), CommonOptions.parseDuration(DEADLINE,
                env.getOrDefault(DEADLINE, CommonOptions.DEFAULT_DEADLINE)), null);
        }
    }

    /** What {@code slipstream run --main} was given for the program it runs in this JVM (its command-line options). */
    private static volatile Options given = Options.NONE;

    private RankJoin()
    {
    }

    /** What {@code slipstream run --main} was given on its command line for the program it runs in this JVM. */
    public static Options commandLine()
    {
        return given;
    }

    /** Sets what {@link #commandLine()} gives, for a program started in this JVM by {@code slipstream run --main}. */
    static void setCommandLine(final Options options)
    {
        given = options;
    }

    /**
     * Joins this rank to its job.
     *
     * @param env     the environment.
     * @param options where to put the run directory, how long to wait, how to connect (nothing null but the
     *                fields {@link Options} allows to be).
     * @param log     where the rank's own lines go (stderr).
     * @param verbose whether every rank, not only rank 0, logs its topology.
     */
    public static Joined join(final Map<String, String> env, final Options options, final PrintStream log,
        final boolean verbose) throws IOException
    {
        final Map<String, String> environment = new HashMap<>(env);
        final long deadlineNanos = options.deadlineNanos();
        Topology topology = TopologyDetector.forThisProcess(environment,
            options.topology() != null ? options.topology() : TopologyOverrides.NONE).detect();
        final boolean secretGiven = hasSecret(environment);
        if (secretGiven || !topology.needsRendezvous())
        {
            WorldConnection.secret(environment, topology.size());
        }
        WorldConnection.externalDriver(environment);
        if (topology.rank() == 0 || verbose)
        {
            log.println("slipstream: rank " + topology.rank() + ": " + topology.describe() +
                (verbose ? ", " + topology.gpu() + ", host id " + topology.hostId() : ""));
        }
        final Path dir = RunDirectory.create(options.runDir() != null ? options.runDir() :
            RunDirectory.defaultFor(options.jobName(), topology, java.time.Instant.now()));
        topology = findCoordinator(topology, dir, deadlineNanos, secretGiven, environment);

        final CommConfig config;
        try
        {
            config = WorldConnection.config(topology, environment, deadlineNanos, options.transport());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UsageException(ex.getMessage());
        }
        final StopFlag stop = StopFlag.install(log, RunCommand.STOP_GRACE_NANOS);
        ParentWatch.startIfAsked(environment, log, System::exit);
        return new Joined(topology, dir, WorldConnection.connect(config), stop);
    }

    /**
     * Leaves the world, waiting at most {@code millis}: a rank whose peers are gone must still exit
     * promptly, so its launcher sees its own status rather than a peer's. Returns whether it finished.
     */
    public static boolean leave(final Communicator world, final long millis)
    {
        final Thread closer = new Thread(world::close, "slipstream-close-world");
        closer.setDaemon(true);
        closer.start();
        try
        {
            closer.join(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return !closer.isAlive();
    }

    /**
     * What the {@code slipstream} command prints for {@code failure} (after {@code "slipstream: "}), with its exit
     * code: 2 for bad input, 4 for another rank's failure, 1 otherwise ({@code rank} -1 while it is not known).
     */
    public static FailureText describe(final Throwable failure, final int rank)
    {
        final FailureLine line = FailureLine.of(failure, rank < 0 ? "failed: " : "rank " + rank + " failed: ", false);
        return new FailureText(line.code(), line.line());
    }

    /**
     * One failure as the command reports it.
     *
     * @param exitCode the process exit code it stands for.
     * @param line     the one line (without the {@code "slipstream: "} prefix).
     */
    public record FailureText(int exitCode, String line)
    {
    }

    private static boolean hasSecret(final Map<String, String> env)
    {
        final String secret = env.get(WorldConnection.SECRET);
        return secret != null && !secret.isEmpty();
    }

    /**
     * Rank 0's address from the run directory when the launcher does not name it; without a given secret, rank 0
     * makes one and publishes it there too, and the others put what they read into {@code environment}.
     */
    private static Topology findCoordinator(
        final Topology topology,
        final Path runDir,
        final long deadlineNanos,
        final boolean secretGiven,
        final Map<String, String> environment) throws IOException
    {
        if (!topology.needsRendezvous())
        {
            return topology;
        }
        if (topology.rank() == 0)
        {
            if (secretGiven || topology.size() == 1)
            {
                CoordinatorRendezvous.publish(runDir, topology, topology.advertiseAddress());
            }
            else
            {
                final String secret = WorldConnection.newSecret();
                CoordinatorRendezvous.publishWithSecret(runDir, topology, topology.advertiseAddress(), secret);
                environment.put(WorldConnection.SECRET, secret);
            }
            return topology.withCoordinatorHost(topology.advertiseAddress());
        }
        final CoordinatorRendezvous.Endpoint endpoint =
            CoordinatorRendezvous.awaitEndpoint(runDir, topology, deadlineNanos);
        if (!secretGiven)
        {
            if (endpoint.secret() == null)
            {
                throw new UsageException("rank 0 was given SLIPSTREAM_SECRET but rank " + topology.rank() +
                    " was not: export the same secret to every rank, or to none");
            }
            environment.put(WorldConnection.SECRET, endpoint.secret());
        }
        return topology.withCoordinatorHost(endpoint.address());
    }
}
