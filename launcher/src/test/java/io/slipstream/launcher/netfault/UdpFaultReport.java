package io.slipstream.launcher.netfault;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * The same two-rank UDP bench without loss and with loss, side by side. The machine is shared and noisy, so after
 * one discarded warm-up run the two alternate for a number of rounds and each size keeps its fastest median of
 * either kind: per size, the two times, their ratio, and the wrong elements of every run. {@link #main} is what
 * {@code slurm/netfault/udp-loss.sh} runs; {@code UdpLossIT} calls {@link #compare} with small sizes.
 */
final class UdpLossReport
{
    /** Every run of each kind, and what they add up to. */
    record Comparison(double lossRate, List<UdpLossTrial.Result> lossless, List<UdpLossTrial.Result> lossy)
    {
        long wrong()
        {
            long total = 0;
            for (final UdpLossTrial.Result result : lossless)
            {
                total += result.wrong();
            }
            for (final UdpLossTrial.Result result : lossy)
            {
                total += result.wrong();
            }
            return total;
        }

        boolean allSucceeded()
        {
            for (final UdpLossTrial.Result result : lossless)
            {
                if (!result.ranksSucceeded())
                {
                    return false;
                }
            }
            for (final UdpLossTrial.Result result : lossy)
            {
                if (!result.ranksSucceeded())
                {
                    return false;
                }
            }
            return true;
        }

        /** Sizes every run measured. */
        int sizes()
        {
            int sizes = Integer.MAX_VALUE;
            for (final UdpLossTrial.Result result : lossless)
            {
                sizes = Math.min(sizes, result.rows().size());
            }
            for (final UdpLossTrial.Result result : lossy)
            {
                sizes = Math.min(sizes, result.rows().size());
            }
            return sizes == Integer.MAX_VALUE ? 0 : sizes;
        }

        long bytes(final int size)
        {
            return lossless.get(0).rows().get(size).bytes();
        }

        double fastest(final List<UdpLossTrial.Result> runs, final int size)
        {
            double best = Double.MAX_VALUE;
            for (final UdpLossTrial.Result result : runs)
            {
                best = Math.min(best, result.rows().get(size).timeUs());
            }
            return best;
        }

        /** Sum over sizes of the lossy times over the sum of the lossless ones. */
        double slowdown()
        {
            double clean = 0;
            double lost = 0;
            for (int i = 0; i < sizes(); i++)
            {
                clean += fastest(lossless, i);
                lost += fastest(lossy, i);
            }
            return clean > 0 ? lost / clean : Double.NaN;
        }

        long sum(final List<UdpLossTrial.Result> runs, final ToLongFunction<UdpLossTrial.Result> f)
        {
            long total = 0;
            for (final UdpLossTrial.Result result : runs)
            {
                total += f.applyAsLong(result);
            }
            return total;
        }

        String outputs()
        {
            final StringBuilder text = new StringBuilder();
            for (final UdpLossTrial.Result result : lossless)
            {
                text.append("--- lossless run\n").append(result.output());
            }
            for (final UdpLossTrial.Result result : lossy)
            {
                text.append("--- lossy run\n").append(result.output());
            }
            return text.toString();
        }
    }

    private UdpLossReport()
    {
    }

    static Comparison compare(
        final UdpLossTrial.Settings settings, final double lossRate, final int rounds, final long seed)
        throws Exception
    {
        // Warms the page cache and the disk's copy of the classes, so the first timed run is not the slow one.
        UdpLossTrial.run(settings, 0.0, seed);
        final List<UdpLossTrial.Result> lossless = new ArrayList<>();
        final List<UdpLossTrial.Result> lossy = new ArrayList<>();
        for (int round = 0; round < rounds; round++)
        {
            lossless.add(UdpLossTrial.run(settings, 0.0, seed + round));
            lossy.add(UdpLossTrial.run(settings, lossRate, seed + round));
        }
        return new Comparison(lossRate, lossless, lossy);
    }

    static void print(final Comparison c, final PrintStream out)
    {
        final double percent = c.lossRate() * 100;
        out.printf(Locale.ROOT, "# UDP between 2 ranks on 2 simulated hosts; each receiving driver drops %.2f%% of " +
            "data frames (Aeron RandomLossGenerator); float32 sum allreduce; per size the fastest median time of %d " +
            "runs of each kind%n", percent, c.lossless().size());
        out.printf(Locale.ROOT, "#%13s %14s %14s %9s %7s%n", "bytes", "time_us_0%",
            String.format(Locale.ROOT, "time_us_%.2f%%", percent), "slowdown", "wrong");
        for (int i = 0; i < c.sizes(); i++)
        {
            long wrong = 0;
            for (final UdpLossTrial.Result result : c.lossless())
            {
                wrong += result.rows().get(i).wrong();
            }
            for (final UdpLossTrial.Result result : c.lossy())
            {
                wrong += result.rows().get(i).wrong();
            }
            final double clean = c.fastest(c.lossless(), i);
            final double lost = c.fastest(c.lossy(), i);
            out.printf(Locale.ROOT, "%14d %14.2f %14.2f %8.2fx %7d%n", c.bytes(i), clean, lost, lost / clean, wrong);
        }
        out.printf(Locale.ROOT, "# slowdown (sum over sizes) %.2fx; wrong results %d; ranks all exited 0: %s%n",
            c.slowdown(), c.wrong(), c.allSucceeded() ? "yes" : "NO");
        out.printf(Locale.ROOT, "# data frames received %d / %d, dropped on purpose %d / %d, NAKs sent %d / %d, " +
            "retransmits %d / %d (lossless / lossy runs)%n",
            c.sum(c.lossless(), UdpLossTrial.Result::framesReceived), c.sum(c.lossy(), UdpLossTrial.Result::framesReceived),
            c.sum(c.lossless(), UdpLossTrial.Result::framesDropped), c.sum(c.lossy(), UdpLossTrial.Result::framesDropped),
            c.sum(c.lossless(), UdpLossTrial.Result::naksSent), c.sum(c.lossy(), UdpLossTrial.Result::naksSent),
            c.sum(c.lossless(), UdpLossTrial.Result::retransmits), c.sum(c.lossy(), UdpLossTrial.Result::retransmits));
    }

    /**
     * {@code SLIPSTREAM MIN_BYTES MAX_BYTES ITERATIONS WARMUP LOSS_RATE ROUNDS SECONDS_PER_RUN}; exits 0 when every
     * run finished with every result right, 1 otherwise (the ranks' output is then printed).
     */
    public static void main(final String[] args) throws Exception
    {
        if (args.length != 8)
        {
            System.err.println("usage: UdpLossReport SLIPSTREAM MIN_BYTES MAX_BYTES ITERATIONS WARMUP LOSS_RATE " +
                "ROUNDS SECONDS_PER_RUN (e.g. launcher/bin/slipstream 4K 16M 50 5 0.01 3 300)");
            System.exit(2);
        }
        final Path work = Files.createTempDirectory("slipstream-netfault-");
        int status = 1;
        try
        {
            final UdpLossTrial.Settings settings = new UdpLossTrial.Settings(Path.of(args[0]), work, args[1],
                args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]), Long.parseLong(args[7]));
            final Comparison comparison =
                compare(settings, Double.parseDouble(args[5]), Integer.parseInt(args[6]), 42);
            print(comparison, System.out);
            final boolean ok = comparison.wrong() == 0 && comparison.allSucceeded() && comparison.sizes() > 0;
            if (!ok)
            {
                System.out.println("# FAILED; the ranks' output follows\n" + comparison.outputs());
            }
            status = ok ? 0 : 1;
        }
        catch (final AssertionError ex)
        {
            System.out.println("# FAILED: " + ex.getMessage());
        }
        finally
        {
            Files.deleteIfExists(work);
        }
        System.exit(status);
    }
}
