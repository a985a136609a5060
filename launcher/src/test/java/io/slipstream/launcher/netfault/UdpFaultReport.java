package io.slipstream.launcher.netfault;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * The same two-rank UDP bench on a clean network and with {@link NetworkFaults} (loss, reordering), side by side.
 * The machine is shared and noisy, so after one discarded warm-up run the two alternate for a number of rounds and
 * each size keeps its fastest median of either kind: per size, the two times, their ratio, and the wrong elements
 * of every run. {@link #main} is what {@code slurm/netfault/udp-faults.sh} runs; {@code UdpLossIT} and
 * {@code UdpReorderIT} call {@link #compare} with small sizes.
 */
final class UdpFaultReport
{
    /** Every run of each kind, and what they add up to. */
    record Comparison(NetworkFaults faults, List<UdpFaultTrial.Result> clean, List<UdpFaultTrial.Result> faulty)
    {
        long wrong()
        {
            long total = 0;
            for (final UdpFaultTrial.Result result : clean)
            {
                total += result.wrong();
            }
            for (final UdpFaultTrial.Result result : faulty)
            {
                total += result.wrong();
            }
            return total;
        }

        boolean allSucceeded()
        {
            for (final UdpFaultTrial.Result result : clean)
            {
                if (!result.ranksSucceeded())
                {
                    return false;
                }
            }
            for (final UdpFaultTrial.Result result : faulty)
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
            for (final UdpFaultTrial.Result result : clean)
            {
                sizes = Math.min(sizes, result.rows().size());
            }
            for (final UdpFaultTrial.Result result : faulty)
            {
                sizes = Math.min(sizes, result.rows().size());
            }
            return sizes == Integer.MAX_VALUE ? 0 : sizes;
        }

        long bytes(final int size)
        {
            return clean.get(0).rows().get(size).bytes();
        }

        double fastest(final List<UdpFaultTrial.Result> runs, final int size)
        {
            double best = Double.MAX_VALUE;
            for (final UdpFaultTrial.Result result : runs)
            {
                best = Math.min(best, result.rows().get(size).timeUs());
            }
            return best;
        }

        /** Sum over sizes of the faulty times over the sum of the clean ones. */
        double slowdown()
        {
            double cleanSum = 0;
            double faultySum = 0;
            for (int i = 0; i < sizes(); i++)
            {
                cleanSum += fastest(clean, i);
                faultySum += fastest(faulty, i);
            }
            return cleanSum > 0 ? faultySum / cleanSum : Double.NaN;
        }

        long sum(final List<UdpFaultTrial.Result> runs, final ToLongFunction<UdpFaultTrial.Result> f)
        {
            long total = 0;
            for (final UdpFaultTrial.Result result : runs)
            {
                total += f.applyAsLong(result);
            }
            return total;
        }

        String outputs()
        {
            final StringBuilder text = new StringBuilder();
            for (final UdpFaultTrial.Result result : clean)
            {
                text.append("--- clean run\n").append(result.output());
            }
            for (final UdpFaultTrial.Result result : faulty)
            {
                text.append("--- faulty run\n").append(result.output());
            }
            return text.toString();
        }
    }

    private UdpFaultReport()
    {
    }

    static Comparison compare(
        final UdpFaultTrial.Settings settings, final NetworkFaults faults, final int rounds, final long seed)
        throws Exception
    {
        // Warms the page cache and the disk's copy of the classes, so the first timed run is not the slow one.
        UdpFaultTrial.run(settings, NetworkFaults.NONE, seed);
        final List<UdpFaultTrial.Result> clean = new ArrayList<>();
        final List<UdpFaultTrial.Result> faulty = new ArrayList<>();
        for (int round = 0; round < rounds; round++)
        {
            clean.add(UdpFaultTrial.run(settings, NetworkFaults.NONE, seed + round));
            faulty.add(UdpFaultTrial.run(settings, faults, seed + round));
        }
        return new Comparison(faults, clean, faulty);
    }

    static void print(final Comparison c, final PrintStream out)
    {
        out.printf(Locale.ROOT, "# UDP between 2 ranks on 2 simulated hosts; %s; float32 sum allreduce; per size the " +
            "fastest median time of %d runs of each kind%n", c.faults().describe(), c.clean().size());
        out.printf(Locale.ROOT, "#%13s %14s %14s %9s %7s%n", "bytes", "time_us_clean", "time_us_faulty", "slowdown",
            "wrong");
        for (int i = 0; i < c.sizes(); i++)
        {
            long wrong = 0;
            for (final UdpFaultTrial.Result result : c.clean())
            {
                wrong += result.rows().get(i).wrong();
            }
            for (final UdpFaultTrial.Result result : c.faulty())
            {
                wrong += result.rows().get(i).wrong();
            }
            final double clean = c.fastest(c.clean(), i);
            final double faulty = c.fastest(c.faulty(), i);
            out.printf(Locale.ROOT, "%14d %14.2f %14.2f %8.2fx %7d%n", c.bytes(i), clean, faulty, faulty / clean,
                wrong);
        }
        out.printf(Locale.ROOT, "# slowdown (sum over sizes) %.2fx; wrong results %d; ranks all exited 0: %s%n",
            c.slowdown(), c.wrong(), c.allSucceeded() ? "yes" : "NO");
        out.printf(Locale.ROOT, "# data frames received %d / %d, dropped on purpose %d / %d; data datagrams sent " +
            "through a reordering endpoint %d / %d, held back %d / %d, reordered %d / %d; NAKs sent %d / %d, " +
            "retransmits %d / %d (clean / faulty runs)%n",
            c.sum(c.clean(), UdpFaultTrial.Result::framesReceived),
            c.sum(c.faulty(), UdpFaultTrial.Result::framesReceived),
            c.sum(c.clean(), UdpFaultTrial.Result::framesDropped),
            c.sum(c.faulty(), UdpFaultTrial.Result::framesDropped),
            c.sum(c.clean(), UdpFaultTrial.Result::datagramsSent),
            c.sum(c.faulty(), UdpFaultTrial.Result::datagramsSent),
            c.sum(c.clean(), UdpFaultTrial.Result::framesHeld),
            c.sum(c.faulty(), UdpFaultTrial.Result::framesHeld),
            c.sum(c.clean(), UdpFaultTrial.Result::framesReordered),
            c.sum(c.faulty(), UdpFaultTrial.Result::framesReordered),
            c.sum(c.clean(), UdpFaultTrial.Result::naksSent),
            c.sum(c.faulty(), UdpFaultTrial.Result::naksSent),
            c.sum(c.clean(), UdpFaultTrial.Result::retransmits),
            c.sum(c.faulty(), UdpFaultTrial.Result::retransmits));
    }

    /**
     * {@code SLIPSTREAM MIN_BYTES MAX_BYTES ITERATIONS WARMUP LOSS_RATE ROUNDS SECONDS_PER_RUN REORDER_RATE
     * REORDER_DISTANCE}; exits 0 when every run finished with every result right, 1 otherwise (the ranks' output is
     * then printed).
     */
    public static void main(final String[] args) throws Exception
    {
        if (args.length != 10)
        {
            System.err.println("usage: UdpFaultReport SLIPSTREAM MIN_BYTES MAX_BYTES ITERATIONS WARMUP LOSS_RATE " +
                "ROUNDS SECONDS_PER_RUN REORDER_RATE REORDER_DISTANCE (e.g. launcher/bin/slipstream 4K 16M 50 5 0.01 " +
                "3 300 0 3)");
            System.exit(2);
        }
        final Path work = Files.createTempDirectory("slipstream-netfault-");
        int status = 1;
        try
        {
            final UdpFaultTrial.Settings settings = new UdpFaultTrial.Settings(Path.of(args[0]), work, args[1],
                args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]), Long.parseLong(args[7]));
            final NetworkFaults faults = new NetworkFaults(Double.parseDouble(args[5]), Double.parseDouble(args[8]),
                Integer.parseInt(args[9]), NetworkFaults.NONE.maxHoldNs());
            final Comparison comparison = compare(settings, faults, Integer.parseInt(args[6]), 42);
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
