package io.slipstream.launcher.cli;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The side-by-side table of {@code bench allreduce --peer}: per size that both runs measured, each one's
 * median time and bus bandwidth and {@code busbw_ratio = slipstream / peer} (above 1: Slipstream is ahead).
 * Built from the two runs' printed rows; nothing is measured again.
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
                theirs.timeUs(), mine.busbwGBps(), theirs.busbwGBps(), ratio(mine.busbwGBps(), theirs.busbwGBps()));
        }
        if (matched == 0)
        {
            out.println("# no size is in both tables (slipstream " + slipstream.size() + " rows, " + peer + " " +
                peerRows.size() + " rows); check both runs' output above");
        }
        return matched;
    }

    /** {@code mine / theirs} to two places, or {@code n/a} when the peer's bandwidth printed as zero. */
    static String ratio(final double mine, final double theirs)
    {
        return theirs > 0 ? String.format(Locale.ROOT, "%.2f", mine / theirs) : "n/a";
    }
}
