package io.slipstream.launcher.cli;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The side-by-side table of {@code bench allreduce --peer}: per size that both runs measured, each one's
 * median time and bus bandwidth and {@code busbw_ratio = slipstream / peer} (above 1: Slipstream is ahead).
 * Built from the two runs' printed rows; nothing is measured again. Both compute busbw as
 * {@code bytes / time * 2(n-1)/n} on the same ranks, so the ratio is taken as {@code peer_time / slipstream_time}:
 * the same number, without the rounding of busbw to three places that makes small sizes print 0.000.
 */
final class PeerComparison
{
    private PeerComparison()
    {
    }

    /** Prints the table under {@code title}; returns how many sizes both runs had. */
    static int print(
        final PrintStream out,
        final String title,
        final String peer,
        final List<AllreduceTable.Row> slipstream,
        final List<AllreduceTable.Row> peerRows)
    {
        final Map<Long, AllreduceTable.Row> byBytes = new HashMap<>();
        for (final AllreduceTable.Row row : peerRows)
        {
            byBytes.put(row.bytes(), row);
        }
        out.println();
        out.println("# " + title);
        out.printf(Locale.ROOT, "#%13s %19s %19s %19s %19s %12s%n", "bytes", "slipstream_time_us",
            peer + "_time_us", "slipstream_busbw", peer + "_busbw", "busbw_ratio");
        int matched = 0;
        for (final AllreduceTable.Row mine : slipstream)
        {
            final AllreduceTable.Row theirs = byBytes.get(mine.bytes());
            if (theirs == null)
            {
                continue;
            }
            matched++;
            out.printf(Locale.ROOT, "%14d %19.2f %19.2f %19.3f %19.3f %12s%n", mine.bytes(), mine.timeUs(),
                theirs.timeUs(), mine.busbwGBps(), theirs.busbwGBps(), ratio(mine.timeUs(), theirs.timeUs()));
        }
        if (matched == 0)
        {
            out.println("# no size is in both tables (slipstream " + slipstream.size() + " rows, " + peer + " " +
                peerRows.size() + " rows); check both runs' output above");
        }
        return matched;
    }

    /**
     * The busbw ratio slipstream / peer from the two median times of one size ({@code peerTime / myTime}) to two
     * places, or {@code n/a} when a time printed as zero.
     */
    static String ratio(final double myTimeUs, final double peerTimeUs)
    {
        return myTimeUs > 0 && peerTimeUs > 0 ? String.format(Locale.ROOT, "%.2f", peerTimeUs / myTimeUs) : "n/a";
    }
}
