package io.slipstream.launcher.topology;

import io.slipstream.launcher.spec.Printable;

import java.util.ArrayList;
import java.util.List;

/**
 * Expands a SLURM hostlist ({@code node[01-04,07],gpu-a[1-2]}) exactly as {@code scontrol show hostnames}
 * does: commas and whitespace separate entries outside brackets, each bracket group is a comma list of
 * numbers or ranges, several groups in one entry expand as a product with the last group varying
 * fastest, a range keeps the width of its low bound ({@code [08-10]} gives 08, 09, 10), and an entry
 * with brackets ends with one ({@code a[1-2]b} is refused, as Slurm 22.05 refuses it). Names are only
 * text here; they are never resolved.
 *
 * <p>The names are counted before any is made: a list that names more than the limit
 * ({@code n[0-999999]x[0-999999]} names 10<sup>12</sup>) is refused in one line with its size and the limit,
 * in time proportional to the text, not to the count.
 */
public final class Hostlist
{
    /** More nodes than any machine has had; {@code SLIPSTREAM_MAX_HOSTS} changes it. */
    public static final int DEFAULT_MAX_HOSTS = 200_000;

    private Hostlist()
    {
    }

    public static List<String> expand(final String hostlist)
    {
        return expand(hostlist, DEFAULT_MAX_HOSTS);
    }

    /** The names, refused without expanding when there would be more than {@code maxHosts}. */
    public static List<String> expand(final String hostlist, final int maxHosts)
    {
        final List<String> entries = entries(hostlist);
        final long count = count(hostlist, entries);
        if (count > maxHosts)
        {
            throw new TopologyException("hostlist '" + Printable.of(hostlist) + "' names " +
                (count == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : Long.toString(count)) + " hosts, more " +
                "than the limit of " + maxHosts + "; if the allocation really is that large, raise " +
                EnvKey.SLIPSTREAM_MAX_HOSTS.name());
        }
        final List<String> hosts = new ArrayList<>((int)count);
        for (final String entry : entries)
        {
            expandEntry(hostlist, entry, hosts);
        }
        return hosts;
    }

    /** How many names {@code hostlist} expands to (saturating at {@link Long#MAX_VALUE}), without expanding. */
    public static long count(final String hostlist)
    {
        return count(hostlist, entries(hostlist));
    }

    private static long count(final String hostlist, final List<String> entries)
    {
        long total = 0;
        for (final String entry : entries)
        {
            total = saturatedAdd(total, countEntry(hostlist, entry));
        }
        return total;
    }

    /** The entries between separators outside brackets; the brackets are checked here. */
    private static List<String> entries(final String hostlist)
    {
        final List<String> entries = new ArrayList<>();
        final int length = hostlist.length();
        int start = 0;
        int depth = 0;
        for (int i = 0; i <= length; i++)
        {
            final char c = i < length ? hostlist.charAt(i) : ',';
            if (c == '[')
            {
                if (depth > 0)
                {
                    throw invalid(hostlist, "nested '['");
                }
                depth++;
            }
            else if (c == ']')
            {
                if (depth == 0)
                {
                    throw invalid(hostlist, "']' without '['");
                }
                depth--;
            }
            else if (depth == 0 && (c == ',' || Character.isWhitespace(c)))
            {
                if (i > start)
                {
                    entries.add(hostlist.substring(start, i));
                }
                start = i + 1;
            }
        }
        if (depth != 0)
        {
            throw invalid(hostlist, "'[' is not closed");
        }
        return entries;
    }

    private static long countEntry(final String hostlist, final String entry)
    {
        long product = 1;
        String rest = entry;
        int open;
        while ((open = rest.indexOf('[')) >= 0)
        {
            if (rest.charAt(rest.length() - 1) != ']')
            {
                throw invalid(hostlist, "'" + entry + "' has text after its last ']'");
            }
            final int close = rest.indexOf(']', open);
            long groupSize = 0;
            for (final long[] range : ranges(hostlist, rest.substring(open + 1, close)))
            {
                groupSize = saturatedAdd(groupSize, range[1] - range[0] + 1);
            }
            product = saturatedMultiply(product, groupSize);
            rest = rest.substring(close + 1);
        }
        return product;
    }

    private static void expandEntry(final String hostlist, final String entry, final List<String> out)
    {
        final int open = entry.indexOf('[');
        if (open < 0)
        {
            out.add(entry);
            return;
        }
        final int close = entry.indexOf(']', open);
        final String prefix = entry.substring(0, open);
        final List<String> suffixes = new ArrayList<>();
        expandEntry(hostlist, entry.substring(close + 1), suffixes);
        final String group = entry.substring(open + 1, close);
        final String[] parts = group.split(",", -1);
        final List<long[]> ranges = ranges(hostlist, group);
        for (int p = 0; p < parts.length; p++)
        {
            final long[] range = ranges.get(p);
            final int dash = parts[p].indexOf('-');
            final String format = "%0" + (dash < 0 ? parts[p].length() : dash) + "d";
            for (long n = range[0]; n <= range[1]; n++)
            {
                final String number = String.format(format, n);
                for (final String suffix : suffixes)
                {
                    out.add(prefix + number + suffix);
                }
            }
        }
    }

    /** The group's parts as {from, to}, checked. */
    private static List<long[]> ranges(final String hostlist, final String group)
    {
        if (group.isEmpty())
        {
            throw invalid(hostlist, "empty '[]'");
        }
        final List<long[]> out = new ArrayList<>();
        for (final String part : group.split(",", -1))
        {
            final int dash = part.indexOf('-');
            final String low = dash < 0 ? part : part.substring(0, dash);
            final String high = dash < 0 ? part : part.substring(dash + 1);
            requireDigits(hostlist, low);
            requireDigits(hostlist, high);
            final long from = Long.parseLong(low);
            final long to = Long.parseLong(high);
            if (to < from)
            {
                throw invalid(hostlist, "range '" + part + "' runs backwards");
            }
            out.add(new long[]{from, to});
        }
        return out;
    }

    private static void requireDigits(final String hostlist, final String text)
    {
        if (text.isEmpty() || text.length() > 18)
        {
            throw invalid(hostlist, "'" + text + "' is not a number");
        }
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c < '0' || c > '9')
            {
                throw invalid(hostlist, "'" + text + "' is not a number");
            }
        }
    }

    private static long saturatedAdd(final long a, final long b)
    {
        final long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private static long saturatedMultiply(final long a, final long b)
    {
        return a != 0 && b > Long.MAX_VALUE / a ? Long.MAX_VALUE : a * b;
    }

    private static TopologyException invalid(final String hostlist, final String why)
    {
        return new TopologyException("hostlist '" + Printable.of(hostlist) + "' does not parse (" + Printable.of(why) +
            "); expected names like node[01-04,07],gpu-a[1-2]");
    }
}
