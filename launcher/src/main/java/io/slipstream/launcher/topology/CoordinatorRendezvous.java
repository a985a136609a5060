package io.slipstream.launcher.topology;

import io.slipstream.trainer.report.OwnerOnlyFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How ranks learn rank 0's address when the launcher names nodes that may not resolve (SLURM, MPI, PMI):
 * rank 0 writes {@code <run dir>/coordinator-<attempt>} with the address it advertises, atomically
 * ({@link OwnerOnlyFile}: temporary file, fsync, rename); the other ranks poll for that file until a deadline. The run
 * directory must therefore be on a file system all nodes share (the submit directory usually is; use
 * {@code --run-dir} or {@code SLIPSTREAM_COORDINATOR=host:port} otherwise). The attempt tag holds the
 * job id, step id and restart count, so a requeued job never reads the address of its previous run.
 *
 * <p>When the ranks were given no job secret, rank 0 also makes one and writes it on the file's second line
 * ({@link #publishWithSecret}). The file is created owner-only (0600) in a run directory that must itself be
 * owner-only (0700; both sides check, and refuse a directory or file that other users can read or write), so
 * only processes of the job's own user learn the secret: the same trust a shared run directory already needs
 * for checkpoints. Comm's join handshake then proves every rank knows it.
 */
public final class CoordinatorRendezvous
{
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
        PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private CoordinatorRendezvous()
    {
    }

    public static Path fileFor(final Path runDir, final Topology topology)
    {
        return runDir.resolve("coordinator-" + topology.attemptTag());
    }

    /** What rank 0 published: its address, and the job secret when it made one (else null). */
    public record Endpoint(String address, String secret)
    {
    }

    /** Rank 0: publish {@code address} for this attempt. */
    public static void publish(final Path runDir, final Topology topology, final String address) throws IOException
    {
        write(runDir, topology, address + "\n");
    }

    /**
     * Rank 0 of a job started without {@code SLIPSTREAM_SECRET}: publish {@code address} and the job's
     * {@code secret} for this attempt, owner-only.
     *
     * @throws TopologyException when the run directory can be read or written by other users.
     */
    public static void publishWithSecret(
        final Path runDir, final Topology topology, final String address, final String secret) throws IOException
    {
        requireOwnerOnly(runDir);
        write(runDir, topology, address + "\n" + secret + "\n");
    }

    private static void write(final Path runDir, final Topology topology, final String content) throws IOException
    {
        OwnerOnlyFile.write(fileFor(runDir, topology), (out) -> out.write(content.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Other ranks: rank 0's address for this attempt, waiting at most {@code timeoutNanos}. */
    public static String await(final Path runDir, final Topology topology, final long timeoutNanos)
        throws IOException
    {
        return awaitEndpoint(runDir, topology, timeoutNanos).address();
    }

    /**
     * Other ranks: what rank 0 published for this attempt (address, and the secret if it wrote one), waiting at
     * most {@code timeoutNanos}. A file with a secret is only trusted in an owner-only directory, owner-only itself.
     */
    public static Endpoint awaitEndpoint(final Path runDir, final Topology topology, final long timeoutNanos)
        throws IOException
    {
        final Path file = fileFor(runDir, topology);
        final long deadline = System.nanoTime() + timeoutNanos;
        while (true)
        {
            try
            {
                final String[] lines = Files.readString(file, StandardCharsets.US_ASCII).trim().split("\n");
                if (!lines[0].isBlank())
                {
                    final String secret = lines.length > 1 ? lines[1].trim() : null;
                    if (secret != null)
                    {
                        requireOwnerOnly(runDir);
                        requireOwnerOnly(file);
                    }
                    return new Endpoint(lines[0].trim(), secret);
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

    /** Refuses {@code path} when users other than its owner may read or write it. */
    private static void requireOwnerOnly(final Path path) throws IOException
    {
        final Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
        final Set<PosixFilePermission> open = EnumSet.copyOf(permissions);
        open.retainAll(OTHERS);
        if (!open.isEmpty())
        {
            throw new TopologyException(path + " is open to other users (" +
                PosixFilePermissions.toString(permissions) + "), so the job secret cannot be shared through it: " +
                "chmod " + (Files.isDirectory(path) ? "700" : "600") + " it, or export SLIPSTREAM_SECRET " +
                "(the same on every rank) before starting the job");
        }
    }
}
