package io.slipstream.launcher.cli;

import io.slipstream.comm.CommConfig;
import io.slipstream.comm.Communicator;
import io.slipstream.launcher.local.ParentWatch;
import io.slipstream.launcher.signal.StopFlag;
import io.slipstream.launcher.topology.CoordinatorRendezvous;
import io.slipstream.launcher.topology.Topology;
import io.slipstream.launcher.topology.TopologyDetector;

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

    /** What {@code slipstream run --main} set for the program it runs in this JVM (its command-line options). */
    private static volatile Map<String, String> presets = Map.of();

    private RankJoin()
    {
    }

    /** This process's environment, with what {@code slipstream run --main} set from its options over it. */
    public static Map<String, String> environment()
    {
        final Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(presets);
        return env;
    }

    /** Sets what {@link #environment()} adds for a program started in this JVM by {@code slipstream run --main}. */
    static void preset(final Map<String, String> values)
    {
        presets = Map.copyOf(values);
    }

    /**
     * Joins this rank to its job.
     *
     * @param env           the environment (with any command-line overrides already put in).
     * @param runDir        the run directory, or null for the default {@code runs/<jobName>-<job id or time>}.
     * @param jobName       names the default run directory.
     * @param deadlineNanos how long any wait for other ranks may take.
     * @param transport     auto, ipc or udp; null for {@code SLIPSTREAM_TRANSPORT} or auto.
     * @param log           where the rank's own lines go (stderr).
     * @param verbose       whether every rank, not only rank 0, logs its topology.
     */
    public static Joined join(
        final Map<String, String> env,
        final Path runDir,
        final String jobName,
        final long deadlineNanos,
        final String transport,
        final PrintStream log,
        final boolean verbose) throws IOException
    {
        final Map<String, String> environment = new HashMap<>(env);
        Topology topology = TopologyDetector.forThisProcess(environment).detect();
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
        final Path dir = RunDirectory.create(runDir != null ? runDir :
            RunDirectory.defaultFor(jobName, topology, java.time.Instant.now()));
        topology = findCoordinator(topology, dir, deadlineNanos, secretGiven, environment);

        final CommConfig config;
        try
        {
            config = WorldConnection.config(topology, environment, deadlineNanos, transport);
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

    /** {@code SLIPSTREAM_DEADLINE} from {@code env}, or the default 60 s. */
    public static long deadlineNanos(final Map<String, String> env)
    {
        return CommonOptions.parseDuration(DEADLINE, env.getOrDefault(DEADLINE, CommonOptions.DEFAULT_DEADLINE));
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
