package io.slipstream.launcher.workload;

import io.slipstream.comm.DataType;
import io.slipstream.comm.ReduceOp;
import io.slipstream.comm.bench.AllreduceBenchmark;
import io.slipstream.launcher.job.Job;
import io.slipstream.launcher.job.JobContext;
import io.slipstream.launcher.signal.ExitCode;
import io.slipstream.launcher.spec.SpecNode;

/**
 * The allreduce benchmark as a job: comm's nccl-tests-style table (rank 0 prints), correctness checked
 * at every size; any wrong element fails the job.
 */
public final class BenchWorkload implements Job
{
    private final AllreduceBenchmark.Options options;

    public BenchWorkload(final AllreduceBenchmark.Options options)
    {
        this.options = options;
    }

    static BenchWorkload fromSpec(final SpecNode workload)
    {
        final AllreduceBenchmark.Options defaults = AllreduceBenchmark.Options.defaults();
        final long min = bytes(workload, "min_bytes", "8");
        final long max = bytes(workload, "max_bytes", "64M");
        final int iterations = (int)workload.integer("iterations", defaults.iterations(), 1, 1_000_000);
        final int warmup = (int)workload.integer("warmup", defaults.warmup(), 0, 1_000_000);
        final DataType type = DataType.valueOf(
            workload.choice("type", "float32", "float32", "float64", "int32", "int64").toUpperCase());
        final ReduceOp op = ReduceOp.valueOf(workload.choice("op", "sum", "sum", "max", "min").toUpperCase());
        try
        {
            return new BenchWorkload(new AllreduceBenchmark.Options(min, max, iterations, warmup, type, op));
        }
        catch (final IllegalArgumentException ex)
        {
            throw workload.error("max_bytes", ex.getMessage());
        }
    }

    private static long bytes(final SpecNode workload, final String key, final String otherwise)
    {
        final Object raw = workload.has(key) ? workload.raw(key) : otherwise;
        try
        {
            return ByteSize.parse(workload.pathOf(key), String.valueOf(raw));
        }
        catch (final IllegalArgumentException ex)
        {
            throw workload.error(key, "'" + raw + "' is not a byte count; use e.g. 4096, 64K, 1M");
        }
    }

    @Override
    public int run(final JobContext context)
    {
        final long wrong = AllreduceBenchmark.run(context.world(), options, context.out());
        if (wrong != 0)
        {
            if (context.world().rank() == 0)
            {
                context.out().println("bench: " + wrong + " wrong elements: the allreduce is broken");
            }
            return ExitCode.FAILED;
        }
        return ExitCode.OK;
    }
}
