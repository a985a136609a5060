package io.slipstream.launcher.cli;

import io.slipstream.comm.DataType;
import io.slipstream.comm.ReduceOp;
import io.slipstream.comm.bench.AllreduceBenchmark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The PyTorch gloo peer of {@code bench allreduce --peer gloo}: runs {@code jmh/peers/gloo_allreduce.py} with
 * Debian's {@code /usr/bin/python3} (python3-torch, installed by {@code jmh/peers/install-peers.sh}) on the same
 * ranks, sizes and iteration budget, so gloo's table prints under Slipstream's.
 */
final class GlooPeer
{
    private static final String SCRIPT = "jmh/peers/gloo_allreduce.py";
    private static final String PYTHON = "/usr/bin/python3";

    private final Path home;
    private final PrintStream out;

    GlooPeer(final Path home, final PrintStream out)
    {
        this.home = home;
        this.out = out;
    }

    static void check(final AllreduceBenchmark.Options options)
    {
        if (options.type() != DataType.FLOAT32 || options.op() != ReduceOp.SUM)
        {
            throw new UsageException("--peer gloo compares float32 sum only; drop --type and --op");
        }
    }

    /** Runs the peer on {@code ranks} local processes; returns its exit status. */
    int run(final int ranks, final AllreduceBenchmark.Options options, final long timeoutNanos)
        throws IOException, InterruptedException
    {
        check(options);
        final Path script = home.resolve(SCRIPT);
        if (!Files.exists(script))
        {
            throw new UsageException("--peer gloo needs " + script + "; run from the repository (bin/slipstream " +
                "sets -Dslipstream.home)");
        }
        if (!Files.isExecutable(Path.of(PYTHON)))
        {
            throw new UsageException("--peer gloo needs " + PYTHON + " with python3-torch; install it with " +
                "jmh/peers/install-peers.sh");
        }
        out.println();
        return PeerProcess.run(List.of(PYTHON, script.toString(), Integer.toString(ranks),
            Long.toString(options.minBytes()), Long.toString(options.maxBytes()), Integer.toString(options.iterations()),
            Integer.toString(options.warmup())), timeoutNanos, out);
    }
}
