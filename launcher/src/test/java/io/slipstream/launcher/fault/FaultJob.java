package io.slipstream.launcher.fault;

import io.slipstream.comm.CommConfig;
import io.slipstream.comm.transport.DriverHost;
import io.slipstream.launcher.checkpoint.CheckpointStore;
import io.slipstream.launcher.local.CommandRun;
import io.slipstream.launcher.topology.HostIdentity;
import io.slipstream.launcher.topology.Topology;
import io.slipstream.launcher.topology.TopologyDetector;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A small checkpointed MLP experiment (Iris, 2 folds + refit, a checkpoint every 5 steps) run through the real
 * CLI ({@code bin/slipstream local -n 2}), and what the fault suites inspect afterwards: the ranks' pids, the
 * checkpoint files, the saved model's coefficients and the driver directories in /dev/shm. Needs no JUnit, so
 * {@link KillRankTrials} can run it from the long-version script.
 */
final class FaultJob
{
    static final int RANKS = 2;
    /** How long any wait for another rank may take inside the job: short, so a hang shows quickly. */
    static final String DEADLINE = "15s";
    /** Bound on a whole run of the job (a normal one takes ~10-15 s on 2 loaded cores). */
    static final long RUN_SECONDS = 150;

    private static final Pattern JOB_ID = Pattern.compile("topology from [^:]*: [0-9]+ ranks, job ([^ ,]+),");

    private final Path spec;

    private FaultJob(final Path spec)
    {
        this.spec = spec;
    }

    /** Writes the job spec into {@code dir}; {@code checkpoint} is the body of its checkpoint section. */
    static FaultJob write(final Path dir, final String checkpoint) throws IOException
    {
        final Path spec = dir.resolve("fault-mlp.yaml");
        Files.writeString(spec, "name: fault-mlp\n" +
            "data: {source: iris}\n" +
            "split: {test_fraction: 0.2, seed: 42}\n" +
            "model:\n" +
            "  family: mlp\n" +
            "  params: {hidden_layers: [8], activation: relu, updater: adam, learning_rate: 0.02, epochs: 15,\n" +
            "           batch_size: 8, standardize: true}\n" +
            "search: {strategy: manual}\n" +
            "cv: {folds: 2}\n" +
            "execution: {mode: hybrid, group_size: 2}\n" +
            "training: {threads: 1, metrics_every: 10, progress: lines}\n" +
            "checkpoint: {" + checkpoint + "}\n" +
            "output: {save_model: true, report: false}\n");
        return new FaultJob(spec);
    }

    static FaultJob write(final Path dir) throws IOException
    {
        return write(dir, "every_steps: 5, keep: 2, on_failure: continue");
    }

    /** Starts {@code slipstream local -n 2} on the job with every rank's output shown. */
    CommandRun start(final Path runDir) throws IOException
    {
        return CommandRun.start(runDir.getParent(), Map.of(), CommandRun.SLIPSTREAM.toString(), "local",
            "-n", Integer.toString(RANKS), "--verbose", "--deadline", DEADLINE, "--run-dir", runDir.toString(),
            spec.toString());
    }

    /**
     * Starts the 2 ranks as {@code slipstream run} processes with the launcher's environment, as srun would:
     * no {@code local} watches them, so each rank has to notice a lost peer itself.
     */
    CommandRun[] startRanks(final Path runDir, final String jobId) throws IOException
    {
        final byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        final Map<String, String> env = new HashMap<>();
        env.put("SLIPSTREAM_SIZE", Integer.toString(RANKS));
        env.put("SLIPSTREAM_LOCAL_SIZE", Integer.toString(RANKS));
        env.put("SLIPSTREAM_NODE_INDEX", "0");
        env.put("SLIPSTREAM_JOB_ID", jobId);
        env.put("SLIPSTREAM_COORDINATOR", "127.0.0.1:" + freePort());
        env.put("SLIPSTREAM_ADDR", "127.0.0.1");
        env.put("SLIPSTREAM_SECRET", HexFormat.of().formatHex(secret));
        final CommandRun[] ranks = new CommandRun[RANKS];
        try
        {
            for (int r = 0; r < RANKS; r++)
            {
                env.put("SLIPSTREAM_RANK", Integer.toString(r));
                env.put("SLIPSTREAM_LOCAL_RANK", Integer.toString(r));
                ranks[r] = CommandRun.start(runDir.getParent(), env, CommandRun.SLIPSTREAM.toString(), "run",
                    "--deadline", DEADLINE, "--run-dir", runDir.toString(), spec.toString());
            }
        }
        catch (final IOException ex)
        {
            for (final CommandRun started : ranks)
            {
                if (started != null)
                {
                    started.close();
                }
            }
            throw ex;
        }
        return ranks;
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }

    /** The pid of {@code rank} under {@code local}, from the rank's environment; -1 when it has not started (yet). */
    static long pidOfRank(final CommandRun local, final int rank)
    {
        final String wanted = "SLIPSTREAM_RANK=" + rank;
        final List<ProcessHandle> children = local.process().toHandle().children().toList();
        for (final ProcessHandle child : children)
        {
            try
            {
                final String environ = Files.readString(Path.of("/proc", Long.toString(child.pid()), "environ"));
                for (final String entry : environ.split("\0"))
                {
                    if (entry.equals(wanted))
                    {
                        return child.pid();
                    }
                }
            }
            catch (final IOException ex)
            {
                // The child exited between the listing and the read.
            }
        }
        return -1;
    }

    /** Waits up to {@code seconds} for both ranks to exist; returns their pids by rank. */
    static long[] awaitRanks(final CommandRun local, final long seconds) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        final long[] pids = new long[RANKS];
        for (int r = 0; r < RANKS; r++)
        {
            while ((pids[r] = pidOfRank(local, r)) < 0)
            {
                if (System.nanoTime() - deadline > 0 || !local.process().isAlive())
                {
                    throw new AssertionError("rank " + r + " did not start within " + seconds + " s; output:\n" +
                        local.output());
                }
                Thread.sleep(20);
            }
        }
        return pids;
    }

    /** Every checkpoint file of every fit under the run directory. */
    static List<Path> checkpoints(final Path runDir) throws IOException
    {
        final List<Path> files = new ArrayList<>();
        final Path root = runDir.resolve("checkpoints");
        if (!Files.isDirectory(root))
        {
            return files;
        }
        try (DirectoryStream<Path> fits = Files.newDirectoryStream(root))
        {
            for (final Path fit : fits)
            {
                files.addAll(new CheckpointStore(fit, 1, CheckpointStore.OnFailure.STOP, new byte[32]).checkpoints());
            }
        }
        return files;
    }

    /** The checkpoint files that do not read back intact (magic, lengths, checksum). */
    static List<String> corrupt(final List<Path> checkpoints)
    {
        final List<String> bad = new ArrayList<>();
        for (final Path file : checkpoints)
        {
            try
            {
                CheckpointStore.read(file);
            }
            catch (final IOException | RuntimeException ex)
            {
                bad.add(file + ": " + ex.getMessage());
            }
        }
        return bad;
    }

    /** Files a checkpoint write left half-done ({@code *.tmp}) under the run's checkpoint directories. */
    static List<Path> temporaries(final Path runDir) throws IOException
    {
        final Path root = runDir.resolve("checkpoints");
        if (!Files.isDirectory(root))
        {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(root))
        {
            return all.filter((p) -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    /** The saved model's flat parameters, as DL4J's ModelSerializer wrote them. */
    static byte[] coefficients(final Path runDir) throws IOException
    {
        try (ZipFile zip = new ZipFile(runDir.resolve("model.zip").toFile()))
        {
            final ZipEntry entry = zip.getEntry("coefficients.bin");
            if (entry == null)
            {
                throw new IOException(runDir.resolve("model.zip") + " holds no coefficients.bin");
            }
            try (InputStream in = zip.getInputStream(entry))
            {
                return in.readAllBytes();
            }
        }
    }

    /** The job id a run printed (each rank prints its topology line), or null when no rank got that far. */
    static String jobIdOf(final String output)
    {
        final Matcher matcher = JOB_ID.matcher(output);
        return matcher.find() ? matcher.group(1) : null;
    }

    /**
     * The name of the driver directory comm gives the launcher job {@code jobId} on this machine, derived the way
     * the ranks derive it: the topology of rank 0 from the launcher's variables, its attempt tag and host id.
     */
    static String driverDirectory(final String jobId)
    {
        final Map<String, String> env = Map.of("SLIPSTREAM_RANK", "0", "SLIPSTREAM_SIZE", Integer.toString(RANKS),
            "SLIPSTREAM_LOCAL_RANK", "0", "SLIPSTREAM_LOCAL_SIZE", Integer.toString(RANKS), "SLIPSTREAM_NODE_INDEX", "0",
            "SLIPSTREAM_JOB_ID", jobId, "SLIPSTREAM_COORDINATOR", "127.0.0.1:1", "SLIPSTREAM_ADDR", "127.0.0.1");
        final Topology topology = new TopologyDetector(env, HostIdentity.machineId(), "127.0.0.1").detect();
        final CommConfig config = CommConfig.builder().rank(0).size(RANKS).coordinator("127.0.0.1", 1)
            .jobId(topology.attemptTag()).secret(new byte[CommConfig.MIN_SECRET_BYTES]).hostId(topology.hostId()).build();
        return DriverHost.directoryFor(config).getName();
    }

    /** Waits up to {@code seconds} for /dev/shm/{@code name} to disappear; true when it is gone. */
    static boolean awaitGone(final String name, final long seconds) throws InterruptedException
    {
        final Path dir = Path.of("/dev/shm", name);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (Files.exists(dir) && System.nanoTime() - deadline < 0)
        {
            Thread.sleep(50);
        }
        return !Files.exists(dir);
    }

    /** Removes a driver directory the test itself is responsible for; true if it was there. */
    static boolean removeDriverDirectory(final String name) throws IOException
    {
        final Path dir = Path.of("/dev/shm", name);
        if (!Files.exists(dir))
        {
            return false;
        }
        KillRankTrials.deleteTree(dir);
        return true;
    }

    /** Waits up to {@code seconds} for every process of {@code tree} to end; returns those still alive. */
    static List<Long> survivors(final List<ProcessHandle> tree, final long seconds) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        final List<Long> alive = new ArrayList<>();
        for (final ProcessHandle handle : tree)
        {
            while (handle.isAlive() && System.nanoTime() - deadline < 0)
            {
                Thread.sleep(20);
            }
            if (handle.isAlive())
            {
                alive.add(handle.pid());
            }
        }
        return alive;
    }
}
