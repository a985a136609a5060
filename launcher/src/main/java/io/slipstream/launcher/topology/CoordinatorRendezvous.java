package io.slipstream.launcher.topology;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How ranks learn rank 0's address when the launcher names nodes that may not resolve (SLURM, MPI, PMI):
 * rank 0 writes {@code <run dir>/coordinator-<attempt>} with the address it advertises, atomically
 * (write a temporary file, then rename); the other ranks poll for that file until a deadline. The run
 * directory must therefore be on a file system all nodes share (the submit directory usually is; use
 * {@code --run-dir} or {@code SLIPSTREAM_COORDINATOR=host:port} otherwise). The attempt tag holds the
 * job id, step id and restart count, so a requeued job never reads the address of its previous run.
 */
public final class CoordinatorRendezvous
{
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private CoordinatorRendezvous()
    {
    }

    public static Path fileFor(final Path runDir, final Topology topology)
    {
        return runDir.resolve("coordinator-" + topology.attemptTag());
    }

    /** Rank 0: publish {@code address} for this attempt. */
    public static void publish(final Path runDir, final Topology topology, final String address) throws IOException
    {
        final Path target = fileFor(runDir, topology);
        final Path temp = runDir.resolve(target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        Files.writeString(temp, address + "\n", StandardCharsets.US_ASCII);
        try
        {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final AtomicMoveNotSupportedException ex)
        {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Other ranks: rank 0's address for this attempt, waiting at most {@code timeoutNanos}. */
    public static String await(final Path runDir, final Topology topology, final long timeoutNanos)
        throws IOException
    {
        final Path file = fileFor(runDir, topology);
        final long deadline = System.nanoTime() + timeoutNanos;
        while (true)
        {
            try
            {
                final String address = Files.readString(file, StandardCharsets.US_ASCII).trim();
                if (!address.isEmpty())
                {
                    return address;
                }
            }
            catch (final NoSuchFileException ignored)
            {
                // Rank 0 has not published yet.
            }
            if (System.nanoTime() - deadline >= 0)
            {
                throw new TopologyException("rank " + topology.rank() + " waited " +
                    TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s for rank 0 to write " + file +
                    ": rank 0 did not start, or the run directory is not shared between nodes " +
                    "(use --run-dir on a shared file system, or set SLIPSTREAM_COORDINATOR=host:port)");
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
