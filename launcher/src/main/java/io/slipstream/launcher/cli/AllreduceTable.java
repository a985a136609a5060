package io.slipstream.launcher.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The rows of an allreduce table as printed by comm's {@code AllreduceBenchmark} and by
 * {@code jmh/peers/mpi-allreduce.c}: {@code bytes count time_us algbw_GBps busbw_GBps wrong}, comment lines
 * starting with {@code #}, and, for local ranks, a {@code [rank N] } prefix. Other lines are skipped.
 */
final class AllreduceTable
{
    /** One size of a table: its message bytes, median time in microseconds and bus bandwidth in GB/s. */
    record Row(long bytes, double timeUs, double busbwGBps)
    {
    }

    private static final int COLUMNS = 6;

    private AllreduceTable()
    {
    }

    static List<Row> parse(final List<String> lines)
    {
        final List<Row> rows = new ArrayList<>();
        for (final String raw : lines)
        {
            final String line = withoutRankPrefix(raw.strip());
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            final String[] fields = line.split("\\s+");
            if (fields.length != COLUMNS)
            {
                continue;
            }
            try
            {
                rows.add(new Row(Long.parseLong(fields[0]), Double.parseDouble(fields[2]),
                    Double.parseDouble(fields[4])));
            }
            catch (final NumberFormatException ignored)
            {
                // Not a table row: some other line of the run's output.
            }
        }
        return rows;
    }

    private static String withoutRankPrefix(final String line)
    {
        if (line.startsWith("[rank "))
        {
            final int end = line.indexOf(']');
            return end < 0 ? line : line.substring(end + 1).strip();
        }
        return line;
    }
}
