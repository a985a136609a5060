package io.slipstream.comm;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Soak: {@code small} 8-float and {@code large} 4 MiB allreduces on 2 thread ranks, checking the results, then
 * comparing heap after GC, RSS, open file descriptors and /dev/shm entries between the end of warm-up and the end.
 * Exits 1 on a wrong result or growth beyond the limits. Args: [small] [large] (defaults 100000 1000).
 */
public final class SoakMain
{
    private SoakMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int small = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        final int large = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        final long[][] samples = new long[2][];
        final long start = System.nanoTime();
        ThreadRanks.run(2, (rank, builder) -> builder, Duration.ofMinutes(30), (comm) ->
        {
            final UnsafeBuffer tiny = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64, 64));
            final int count = 1 << 20;
            final UnsafeBuffer big = new UnsafeBuffer(BufferUtil.allocateDirectAligned(count * 4, 64));
            // Warm-up is the first tenth of both kinds, so first-touch of buffers and log pages is not "growth".
            run(comm, tiny, big, count, 0, small / 10, 0, large / 10);
            sample(comm, samples, 0);
            run(comm, tiny, big, count, small / 10, small, large / 10, large);
            sample(comm, samples, 1);
        });
        final String[] names = {"heap bytes", "RSS KiB", "open fds", "/dev/shm slipstream-*"};
        final long[] limits = {32L << 20, 64L << 10, 4, 0};
        boolean grew = false;
        System.out.printf("soak: %d small + %d large allreduces in %.1f s%n", small, large,
            (System.nanoTime() - start) / 1e9);
        for (int i = 0; i < names.length; i++)
        {
            final long growth = samples[1][i] - samples[0][i];
            System.out.printf("%-18s after warm-up %12d  at end %12d  growth %10d (limit %d)%n",
                names[i], samples[0][i], samples[1][i], growth, limits[i]);
            grew |= growth > limits[i];
        }
        System.exit(grew ? 1 : 0);
    }

    private static void run(
        final Communicator comm,
        final UnsafeBuffer tiny,
        final UnsafeBuffer big,
        final int count,
        final int smallFrom,
        final int smallTo,
        final int largeFrom,
        final int largeTo)
    {
        for (int i = smallFrom; i < smallTo; i++)
        {
            Reference.fill(tiny, 0, DataType.FLOAT32, 8, comm.rank() + i);
            comm.allreduce(tiny, 0, 8, DataType.FLOAT32, ReduceOp.SUM);
            if (i % 1000 == 0 && Reference.get(tiny, 0, DataType.FLOAT32, 3) !=
                Reference.value(i, 3) + Reference.value(i + 1, 3))
            {
                throw new IllegalStateException("wrong small result at iteration " + i);
            }
        }
        for (int i = largeFrom; i < largeTo; i++)
        {
            if (i % 100 == 0)
            {
                Reference.fill(big, 0, DataType.FLOAT32, count, comm.rank());
                comm.allreduce(big, 0, count, DataType.FLOAT32, ReduceOp.SUM);
                if (Reference.firstWrong(big, 0, DataType.FLOAT32, ReduceOp.SUM, 2, 0, count) >= 0)
                {
                    throw new IllegalStateException("wrong large result at iteration " + i);
                }
            }
            else
            {
                comm.allreduce(big, 0, count, DataType.FLOAT32, ReduceOp.MAX);
            }
        }
    }

    private static void sample(final Communicator comm, final long[][] samples, final int which) throws IOException
    {
        comm.barrier();
        if (comm.rank() == 0)
        {
            System.gc();
            final Runtime runtime = Runtime.getRuntime();
            long rss = 0;
            for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
            {
                if (line.startsWith("VmRSS:"))
                {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            final String[] fds = new File("/proc/self/fd").list();
            final String[] shm = new File("/dev/shm").list((dir, name) -> name.startsWith("slipstream-"));
            samples[which] = new long[] {runtime.totalMemory() - runtime.freeMemory(), rss,
                fds == null ? 0 : fds.length, shm == null ? 0 : shm.length};
        }
        comm.barrier();
    }
}
