package io.slipstream.launcher.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which CPUs each local rank is bound to, as OpenMPI binds its ranks to cores by default: the CPUs this process
 * may use, split into one contiguous share per rank. Unbound, the Linux scheduler was seen to keep two
 * communicating ranks on one of two cores for a whole run (measured: 2 MiB allreduces at 2.4 GB/s busbw in such a
 * run against 11-12 GB/s bound). No binding when there are more ranks than CPUs: a rank per CPU is not possible and
 * the scheduler places them better than a fixed share would.
 */
public final class CpuBinding
{
    /** Set to {@code none} to start local ranks unbound. */
    public static final String ENV = "SLIPSTREAM_CPU_BIND";
    private static final Path TASKSET = Path.of("/usr/bin/taskset");

    private CpuBinding()
    {
    }

    /**
     * The CPU list ({@code taskset -c} form, e.g. {@code 2-3}) for each of {@code ranks} ranks over {@code cpus},
     * or null when there are more ranks than CPUs.
     */
    public static String[] plan(final int ranks, final List<Integer> cpus)
    {
        if (ranks < 1 || ranks > cpus.size())
        {
            return null;
        }
        final String[] lists = new String[ranks];
        for (int r = 0; r < ranks; r++)
        {
            final int from = (int)((long)r * cpus.size() / ranks);
            final int to = (int)((long)(r + 1) * cpus.size() / ranks);
            final StringBuilder list = new StringBuilder();
            for (int i = from; i < to; i++)
            {
                list.append(i == from ? "" : ",").append(cpus.get(i));
            }
            lists[r] = list.toString();
        }
        return lists;
    }

    /** The CPUs in a kernel CPU list such as {@code 0-3,8,10-11}; an empty list for text that is not one. */
    public static List<Integer> parse(final String text)
    {
        final List<Integer> cpus = new ArrayList<>();
        try
        {
            for (final String part : text.trim().split(","))
            {
                final int dash = part.indexOf('-');
                final int first = Integer.parseInt((dash < 0 ? part : part.substring(0, dash)).trim());
                final int last = dash < 0 ? first : Integer.parseInt(part.substring(dash + 1).trim());
                if (first < 0 || last < first)
                {
                    return List.of();
                }
                for (int cpu = first; cpu <= last; cpu++)
                {
                    cpus.add(cpu);
                }
            }
        }
        catch (final NumberFormatException ex)
        {
            return List.of();
        }
        return cpus;
    }

    /**
     * The per-rank CPU lists for {@code ranks} local ranks of this process, or null when they should run unbound:
     * binding switched off in {@code envValue}, more ranks than CPUs, no {@code taskset}, or no readable CPU list.
     */
    public static String[] forLocalRanks(final int ranks, final String envValue)
    {
        return forLocalRanks(ranks, ranks, envValue);
    }

    /** As {@link #forLocalRanks(int, String)}, with the CPUs split into {@code shares >= ranks} shares. */
    public static String[] forLocalRanks(final int ranks, final int shares, final String envValue)
    {
        final String[] all = sharesOfThisProcess(shares, envValue);
        return all == null ? null : Arrays.copyOf(all, ranks);
    }

    private static String[] sharesOfThisProcess(final int ranks, final String envValue)
    {
        if ("none".equals(envValue) || !Files.isExecutable(TASKSET))
        {
            return null;
        }
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
            {
                if (line.startsWith("Cpus_allowed_list:"))
                {
                    return plan(ranks, parse(line.substring("Cpus_allowed_list:".length())));
                }
            }
        }
        catch (final IOException ex)
        {
            return null;
        }
        return null;
    }

    /** {@code command} prefixed with {@code taskset -c cpus}. */
    public static List<String> bind(final String cpus, final List<String> command)
    {
        final List<String> bound = new ArrayList<>(command.size() + 3);
        bound.add(TASKSET.toString());
        bound.add("-c");
        bound.add(cpus);
        bound.addAll(command);
        return bound;
    }
}
