package io.slipstream.launcher.cli;

import io.slipstream.comm.DataType;
import io.slipstream.comm.ReduceOp;
import io.slipstream.comm.bench.AllreduceBenchmark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The MPI peer of {@code bench allreduce --peer mpi}: compiles {@code jmh/peers/mpi-allreduce.c} with
 * {@code mpicc} when its binary is missing or older than the source, and runs it under {@code mpirun} on
 * the same ranks, sizes and iteration budget, so OpenMPI's table prints under Slipstream's.
 * {@code jmh/peers/install-peers.sh} installs OpenMPI.
 */
final class MpiPeer
{
    private static final String SOURCE = "jmh/peers/mpi-allreduce.c";

    private final Path home;
    private final PrintStream out;

    MpiPeer(final Path home, final PrintStream out)
    {
        this.home = home;
        this.out = out;
    }

    /** The repository root: {@code -Dslipstream.home} (set by bin/slipstream), else the working directory. */
    static Path home()
    {
        return Path.of(System.getProperty("slipstream.home", ".")).toAbsolutePath().normalize();
    }

    static void check(final AllreduceBenchmark.Options options)
    {
        if (options.type() != DataType.FLOAT32 || options.op() != ReduceOp.SUM)
        {
            throw new UsageException("--peer mpi compares float32 sum only; drop --type and --op");
        }
    }

    /**
     * Runs the peer on {@code ranks} local ranks, restricted to OpenMPI's TCP transport
     * ({@code --mca btl tcp,self}) when {@code tcpOnly}; returns its exit status.
     */
    int run(final int ranks, final AllreduceBenchmark.Options options, final long timeoutNanos, final boolean tcpOnly)
        throws IOException, InterruptedException
    {
        check(options);
        final Path binary = build();
        final List<String> command = new ArrayList<>(List.of("mpirun", "--oversubscribe", "-np",
            Integer.toString(ranks)));
        if (tcpOnly)
        {
            command.addAll(List.of("--mca", "btl", "tcp,self"));
        }
        if ("root".equals(System.getProperty("user.name")))
        {
            command.add(1, "--allow-run-as-root");
        }
        command.addAll(List.of(binary.toString(), Long.toString(options.minBytes()), Long.toString(options.maxBytes()),
            Integer.toString(options.iterations()), Integer.toString(options.warmup())));
        out.println();
        return runShown(command, timeoutNanos);
    }

    private Path build() throws IOException, InterruptedException
    {
        final Path source = home.resolve(SOURCE);
        if (!Files.exists(source))
        {
            throw new UsageException("--peer mpi needs " + source + "; run from the repository (bin/slipstream sets " +
                "-Dslipstream.home)");
        }
        final Path binary = home.resolve("launcher/target/peers/mpi-allreduce");
        if (Files.exists(binary) &&
            Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) >= 0)
        {
            return binary;
        }
        Files.createDirectories(binary.getParent());
        final int status;
        try
        {
            status = runShown(List.of("mpicc", "-O2", "-o", binary.toString(), source.toString()),
                TimeUnit.MINUTES.toNanos(2));
        }
        catch (final IOException ex)
        {
            throw new UsageException("--peer mpi needs mpicc and mpirun (" + ex.getMessage() +
                "); install OpenMPI with jmh/peers/install-peers.sh");
        }
        if (status != 0)
        {
            throw new IOException("mpicc failed with status " + status + " compiling " + source);
        }
        return binary;
    }

    private int runShown(final List<String> command, final long timeoutNanos) throws IOException, InterruptedException
    {
        return PeerProcess.run(command, timeoutNanos, out);
    }
}
