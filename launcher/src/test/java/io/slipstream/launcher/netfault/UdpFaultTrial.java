package io.slipstream.launcher.netfault;

import io.slipstream.launcher.local.CommandRun;
import io.slipstream.launcher.local.ParentWatch;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Two ranks of a job ({@code workload: bench}, or any spec) over UDP, each a {@code slipstream run} process of its
 * own "host": its own loopback address (127.0.0.2, 127.0.0.3), host id and external media driver
 * ({@link FaultyDrivers}), with the coordinator on rank 0's address. The drivers do the trial's
 * {@link NetworkFaults} to the data frames. Every wait has a deadline; rank processes, drivers and the run
 * directory are gone when {@link #run} or {@link #runJob} returns or throws.
 */
final class UdpFaultTrial
{
    /** What to run: the slipstream command, a scratch directory, the bench's sizes and iterations, a deadline. */
    record Settings(
        Path slipstream, Path workDir, String minBytes, String maxBytes, int iterations, int warmup, long seconds)
    {
    }

    /**
     * What came back: rank 0's bench table (empty for another job), both ranks' exit statuses, the drivers' counts of
     * frames received and dropped, data datagrams sent through a reordering endpoint, held back and reordered, NAKs
     * and retransmits, and the saved model's coefficients (null when the job saved no model).
     */
    record Result(NetworkFaults faults, List<BenchTable.Row> rows, int[] statuses, long framesReceived,
        long framesDropped, long datagramsSent, long framesHeld, long framesReordered, long naksSent, long retransmits,
        byte[] coefficients, String output)
    {
        long wrong()
        {
            long total = 0;
            for (final BenchTable.Row row : rows)
            {
                total += row.wrong();
            }
            return total;
        }

        boolean ranksSucceeded()
        {
            return statuses[0] == 0 && statuses[1] == 0;
        }
    }

    private static final int RANKS = 2;

    private UdpFaultTrial()
    {
    }

    /** The allreduce bench of {@code settings} over drivers doing {@code faults}. */
    static Result run(final Settings settings, final NetworkFaults faults, final long seed)
        throws IOException, InterruptedException
    {
        return runJob(settings.slipstream(), settings.workDir(), "name: netfault-bench\nworkload:\n  kind: bench\n" +
            "  min_bytes: " + settings.minBytes() + "\n  max_bytes: " + settings.maxBytes() + "\n  iterations: " +
            settings.iterations() + "\n  warmup: " + settings.warmup() + "\n", settings.seconds(), faults, seed);
    }

    /**
     * The job {@code spec} (YAML) over drivers doing {@code faults}, within {@code seconds}; the result carries the
     * coefficients of the model the job saved, if it saved one.
     */
    static Result runJob(
        final Path slipstream,
        final Path workDir,
        final String spec,
        final long seconds,
        final NetworkFaults faults,
        final long seed)
        throws IOException, InterruptedException
    {
        final Path scratch = Files.createTempDirectory(workDir, "udp-fault-");
        final CommandRun[] ranks = new CommandRun[RANKS];
        try (FaultyDrivers drivers = new FaultyDrivers(RANKS, faults, seed))
        {
            final Path job = scratch.resolve("job.yaml");
            Files.writeString(job, spec);
            final String coordinator = address(0) + ":" + freePort(address(0));
            final String jobId = "netfault-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
            final String secret = newSecret();
            for (int r = 0; r < RANKS; r++)
            {
                ranks[r] = CommandRun.start(scratch, Map.of(
                    "SLIPSTREAM_RANK", Integer.toString(r),
                    "SLIPSTREAM_SIZE", Integer.toString(RANKS),
                    "SLIPSTREAM_JOB_ID", jobId,
                    "SLIPSTREAM_COORDINATOR", coordinator,
                    "SLIPSTREAM_ADDR", address(r),
                    "SLIPSTREAM_HOST_ID", "netfault-h" + r,
                    "SLIPSTREAM_SECRET", secret,
                    "SLIPSTREAM_AERON_DIR", drivers.directory(r),
                    // Ranks end themselves if this JVM dies (e.g. the script's trap killed it).
                    ParentWatch.PARENT_PID, Long.toString(ProcessHandle.current().pid()),
                    // A rank killed at the deadline must not leave /tmp/hsperfdata_<user>/<pid> behind.
                    "SLIPSTREAM_JAVA_OPTS", "-XX:-UsePerfData"),
                    slipstream.toString(), "run", job.toString(), "--run-dir",
                    scratch.resolve("run").toString(), "--transport", "udp", "--deadline", "60s");
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            final int[] statuses = new int[RANKS];
            for (int r = 0; r < RANKS; r++)
            {
                final long left = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime()));
                statuses[r] = ranks[r].waitFor(left);
            }
            final String output = ranks[0].output() + ranks[1].output();
            return new Result(faults, BenchTable.parse(ranks[0].output()), statuses, drivers.framesReceived(),
                drivers.framesDropped(), drivers.dataDatagramsSent(), drivers.framesHeld(), drivers.framesReordered(),
                drivers.naksSent(), drivers.retransmitsSent(), coefficients(scratch.resolve("run/model.zip")), output);
        }
        finally
        {
            for (final CommandRun rank : ranks)
            {
                if (rank != null)
                {
                    rank.close();
                }
            }
            deleteTree(scratch);
        }
    }

    /** The flat parameters in a saved model (DL4J's ModelSerializer zip), or null when there is no model. */
    private static byte[] coefficients(final Path model) throws IOException
    {
        if (!Files.isRegularFile(model))
        {
            return null;
        }
        try (ZipFile zip = new ZipFile(model.toFile()))
        {
            final ZipEntry entry = zip.getEntry("coefficients.bin");
            if (entry == null)
            {
                throw new IOException(model + " holds no coefficients.bin");
            }
            try (InputStream in = zip.getInputStream(entry))
            {
                return in.readAllBytes();
            }
        }
    }

    private static String address(final int rank)
    {
        return "127.0.0." + (2 + rank);
    }

    private static int freePort(final String address) throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address)))
        {
            return socket.getLocalPort();
        }
    }

    private static String newSecret()
    {
        final byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void deleteTree(final Path root) throws IOException
    {
        if (!Files.exists(root))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
    }
}
