package io.slipstream.launcher.netfault;

import io.slipstream.launcher.local.CommandRun;
import io.slipstream.launcher.local.ParentWatch;

import java.io.IOException;
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

/**
 * Two ranks of {@code workload: bench} over UDP, each a {@code slipstream run} process of its own "host": its own
 * loopback address (127.0.0.2, 127.0.0.3), host id and external media driver ({@link FaultyDrivers}), with the
 * coordinator on rank 0's address. The drivers do the trial's {@link NetworkFaults} to the data frames. Every wait
 * has a deadline; rank processes, drivers and the run directory are gone when {@link #run} returns or throws.
 */
final class UdpFaultTrial
{
    /** What to run: the slipstream command, a scratch directory, the bench's sizes and iterations, a deadline. */
    record Settings(
        Path slipstream, Path workDir, String minBytes, String maxBytes, int iterations, int warmup, long seconds)
    {
    }

    /**
     * What came back: rank 0's table, both ranks' exit statuses, the drivers' counts of frames received and dropped,
     * data datagrams sent through a reordering endpoint, held back and reordered, NAKs and retransmits.
     */
    record Result(NetworkFaults faults, List<BenchTable.Row> rows, int[] statuses, long framesReceived,
        long framesDropped, long datagramsSent, long framesHeld, long framesReordered, long naksSent, long retransmits,
        String output)
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

    static Result run(final Settings settings, final NetworkFaults faults, final long seed)
        throws IOException, InterruptedException
    {
        final Path scratch = Files.createTempDirectory(settings.workDir(), "udp-fault-");
        final CommandRun[] ranks = new CommandRun[RANKS];
        try (FaultyDrivers drivers = new FaultyDrivers(RANKS, faults, seed))
        {
            final Path job = scratch.resolve("bench.yaml");
            Files.writeString(job, "name: netfault-bench\nworkload:\n  kind: bench\n  min_bytes: " +
                settings.minBytes() + "\n  max_bytes: " + settings.maxBytes() + "\n  iterations: " +
                settings.iterations() + "\n  warmup: " + settings.warmup() + "\n");
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
                    settings.slipstream().toString(), "run", job.toString(), "--run-dir",
                    scratch.resolve("run").toString(), "--transport", "udp", "--deadline", "60s");
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.seconds());
            final int[] statuses = new int[RANKS];
            for (int r = 0; r < RANKS; r++)
            {
                final long left = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime()));
                statuses[r] = ranks[r].waitFor(left);
            }
            final String output = ranks[0].output() + ranks[1].output();
            return new Result(faults, BenchTable.parse(ranks[0].output()), statuses, drivers.framesReceived(),
                drivers.framesDropped(), drivers.dataDatagramsSent(), drivers.framesHeld(), drivers.framesReordered(),
                drivers.naksSent(), drivers.retransmitsSent(), output);
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
