package io.slipstream.launcher.topology;

import java.util.ArrayList;
import java.util.List;

/**
 * Expands a SLURM hostlist ({@code node[01-04,07],gpu-a[1-2]}) exactly as {@code scontrol show hostnames}
 * does: commas and whitespace separate entries outside brackets, each bracket group is a comma list of
 * numbers or ranges, several groups in one entry expand as a product with the last group varying
 * fastest, a range keeps the width of its low bound ({@code [08-10]} gives 08, 09, 10), and an entry
 * with brackets ends with one ({@code a[1-2]b} is refused, as Slurm 22.05 refuses it). Names are only
 * text here; they are never resolved.
 */
public final class Hostlist
{
    private Hostlist()
    {
    }

    public static List<String> expand(final String hostlist)
    {
        final List<String> hosts = new ArrayList<>();
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
                    expandEntry(hostlist, hostlist.substring(start, i), hosts);
                }
                start = i + 1;
            }
        }
        if (depth != 0)
        {
            throw invalid(hostlist, "'[' is not closed");
        }
        return hosts;
    }

    private static void expandEntry(final String hostlist, final String entry, final List<String> out)
    {
        final int open = entry.indexOf('[');
        if (open < 0)
        {
            out.add(entry);
            return;
        }
        if (entry.charAt(entry.length() - 1) != ']')
        {
            throw invalid(hostlist, "'" + entry + "' has text after its last ']'");
        }
        final int close = entry.indexOf(']', open);
        final String prefix = entry.substring(0, open);
        final String rest = entry.substring(close + 1);
        final List<String> suffixes = new ArrayList<>();
        expandEntry(hostlist, rest, suffixes);
        for (final String number : numbers(hostlist, entry.substring(open + 1, close)))
        {
            for (final String suffix : suffixes)
            {
                out.add(prefix + number + suffix);
            }
        }
    }

    private static List<String> numbers(final String hostlist, final String group)
    {
        if (group.isEmpty())
        {
            throw invalid(hostlist, "empty '[]'");
        }
        final List<String> out = new ArrayList<>();
        for (final String part : group.split(",", -1))
        {
            final int dash = part.indexOf('-');
            if (dash < 0)
            {
                requireDigits(hostlist, part);
                out.add(part);
                continue;
            }
            final String low = part.substring(0, dash);
            final String high = part.substring(dash + 1);
            requireDigits(hostlist, low);
            requireDigits(hostlist, high);
            final long from = Long.parseLong(low);
            final long to = Long.parseLong(high);
            if (to < from)
            {
                throw invalid(hostlist, "range '" + part + "' runs backwards");
            }
            if (to - from >= 1_000_000)
            {
                throw invalid(hostlist, "range '" + part + "' is too large");
            }
            final String format = "%0" + low.length() + "d";
            for (long n = from; n <= to; n++)
            {
                out.add(String.format(format, n));
            }
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

    private static TopologyException invalid(final String hostlist, final String why)
    {
        return new TopologyException("hostlist '" + hostlist + "' does not parse (" + why +
            "); expected names like node[01-04,07],gpu-a[1-2]");
    }
}
