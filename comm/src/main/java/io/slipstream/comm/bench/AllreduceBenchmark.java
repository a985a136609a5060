package io.slipstream.comm.bench;

import io.slipstream.comm.Communicator;
import io.slipstream.comm.DataType;
import io.slipstream.comm.ReduceOp;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * The allreduce table in the style of nccl-tests: one line per size, doubling from {@code minBytes} to
 * {@code maxBytes}, with the median time of an allreduce (the slowest rank's median), algorithm bandwidth
 * (bytes / time) and bus bandwidth (algbw x 2(n-1)/n, comparable across rank counts), and the number of wrong
 * elements found by a correctness pass at each size. Rank 0 prints; every rank returns the total of wrong elements.
 */
public final class AllreduceBenchmark
{
    /** What to measure. */
    public record Options(long minBytes, long maxBytes, int iterations, int warmup, DataType type, ReduceOp op)
    {
        public static final long DEFAULT_MAX_BYTES = 256L * 1024 * 1024;
        /** Per size, at most about this many bytes are reduced in timed iterations, so large sizes stay quick. */
        public static final long BYTES_BUDGET_PER_SIZE = 1024L * 1024 * 1024;

        public Options
        {
            if (type == null || op == null)
            {
                throw new IllegalArgumentException("AllreduceBenchmark.Options: type and op are required");
            }
            if (minBytes < type.bytes() || maxBytes < minBytes || maxBytes > Integer.MAX_VALUE - 64)
            {
                throw new IllegalArgumentException("AllreduceBenchmark.Options: sizes " + minBytes + ".." + maxBytes +
                    " are not allowed; use " + type.bytes() + " <= minBytes <= maxBytes < 2 GiB");
            }
            if (iterations < 1 || warmup < 0)
            {
                throw new IllegalArgumentException("AllreduceBenchmark.Options: iterations " + iterations +
                    " and warmup " + warmup + " are not allowed; use iterations >= 1 and warmup >= 0");
            }
        }

        public static Options defaults()
        {
            return new Options(8, DEFAULT_MAX_BYTES, 200, 20, DataType.FLOAT32, ReduceOp.SUM);
        }

        public Options withMaxBytes(final long max)
        {
            return new Options(minBytes, max, iterations, warmup, type, op);
        }
    }

    private static final long WARM_SIMD_BYTES = 64 * 1024;

    private AllreduceBenchmark()
    {
    }

    /** Runs the table on every rank of {@code comm}; rank 0 prints it to {@code out}. Returns wrong elements. */
    public static long run(final Communicator comm, final Options options, final PrintStream out)
    {
        final int n = comm.size();
        final DataType type = options.type();
        final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned((int)options.maxBytes(), 64));
        final double[] medianUs = new double[1];
        final long[] wrong = new long[1];
        long totalWrong = 0;
        final boolean printer = comm.rank() == 0;
        if (printer)
        {
            out.printf(Locale.ROOT, "# slipstream allreduce: %d ranks, %s %s, median of up to %d iterations%n",
                n, type, options.op(), options.iterations());
            out.printf(Locale.ROOT, "#%13s %12s %11s %11s %11s %7s%n",
                "bytes", "count", "time_us", "algbw_GBps", "busbw_GBps", "wrong");
        }
        // Compile the small-message path, and the SIMD reduction of runs from 16 KiB, before the first timed size:
        // until C2 has compiled the Vector API loop it runs 10-50x slower, and a size's 20 warm-up calls do not get
        // it there (measured: 55 us for the first 16 KiB allreduce size, 3.4 us for the next, twice as large).
        final int warmCount = (int)(Math.min(WARM_SIMD_BYTES, options.maxBytes()) / type.bytes());
        for (int i = 0; i < 2_000; i++)
        {
            comm.allreduce(buffer, 0, 1, type, options.op());
            if (i % 4 == 0)
            {
                comm.allreduce(buffer, 0, warmCount, type, options.op());
            }
        }
        for (long bytes = options.minBytes(); bytes <= options.maxBytes(); bytes *= 2)
        {
            final int count = (int)(bytes / type.bytes());
            final long budget = Math.max(3, Options.BYTES_BUDGET_PER_SIZE / Math.max(1, bytes));
            final int iterations = (int)Math.min(options.iterations(), budget);
            final int warmup = (int)Math.min(options.warmup(), budget);
            final double[] times = new double[iterations];
            fill(buffer, type, count, comm.rank());
            comm.barrier();
            for (int i = 0; i < warmup; i++)
            {
                comm.allreduce(buffer, 0, count, type, options.op());
                fill(buffer, type, Math.min(count, 1), comm.rank());
            }
            for (int i = 0; i < iterations; i++)
            {
                fill(buffer, type, count, comm.rank());
                comm.barrier();
                final long start = System.nanoTime();
                comm.allreduce(buffer, 0, count, type, options.op());
                times[i] = (System.nanoTime() - start) / 1_000.0;
            }
            Arrays.sort(times);
            medianUs[0] = times[iterations / 2];
            comm.allreduce(medianUs, ReduceOp.MAX);
            wrong[0] = countWrong(buffer, type, options.op(), count, n);
            comm.allreduce(wrong, ReduceOp.SUM);
            totalWrong += wrong[0];
            if (printer)
            {
                final double algbw = bytes / (medianUs[0] * 1_000.0);
                final double busbw = algbw * 2.0 * (n - 1) / n;
                out.printf(Locale.ROOT, "%14d %12d %11.2f %11.3f %11.3f %7d%n",
                    bytes, count, medianUs[0], algbw, busbw, wrong[0]);
                out.flush();
            }
        }
        return totalWrong;
    }

    private static long value(final int rank, final int i)
    {
        return (rank + i) % 7 - 3;
    }

    private static void fill(final UnsafeBuffer buffer, final DataType type, final int count, final int rank)
    {
        for (int i = 0; i < count; i++)
        {
            final long v = value(rank, i);
            switch (type)
            {
                case FLOAT32:
                    buffer.putFloat(i * 4, v);
                    break;
                case FLOAT64:
                    buffer.putDouble(i * 8, v);
                    break;
                case INT32:
                    buffer.putInt(i * 4, (int)v);
                    break;
                default:
                    buffer.putLong(i * 8, v);
                    break;
            }
        }
    }

    private static long countWrong(
        final UnsafeBuffer buffer, final DataType type, final ReduceOp op, final int count, final int n)
    {
        long wrong = 0;
        for (int i = 0; i < count; i++)
        {
            long expected = value(0, i);
            for (int r = 1; r < n; r++)
            {
                final long v = value(r, i);
                expected = op == ReduceOp.SUM ? expected + v : op == ReduceOp.MAX ? Math.max(expected, v) :
                    Math.min(expected, v);
            }
            final double actual;
            switch (type)
            {
                case FLOAT32:
                    actual = buffer.getFloat(i * 4);
                    break;
                case FLOAT64:
                    actual = buffer.getDouble(i * 8);
                    break;
                case INT32:
                    actual = buffer.getInt(i * 4);
                    break;
                default:
                    actual = buffer.getLong(i * 8);
                    break;
            }
            wrong += actual == expected ? 0 : 1;
        }
        return wrong;
    }
}
