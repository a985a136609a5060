package io.slipstream.launcher.netfault;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The rows of comm's allreduce table (bytes, count, time_us, algbw, busbw, wrong) found in a rank's output. */
final class BenchTable
{
    /** One size: its median allreduce time and the wrong elements the correctness pass found. */
    record Row(long bytes, double timeUs, long wrong)
    {
    }

    private static final Pattern ROW = Pattern.compile(
        "^(?:\\[rank \\d+] )?\\s*(\\d+)\\s+(\\d+)\\s+([0-9.]+)\\s+([0-9.]+)\\s+([0-9.]+)\\s+(\\d+)\\s*$");

    private BenchTable()
    {
    }

    static List<Row> parse(final String output)
    {
        final List<Row> rows = new ArrayList<>();
        for (final String line : output.split("\n"))
        {
            final Matcher m = ROW.matcher(line);
            if (m.matches())
            {
                rows.add(new Row(Long.parseLong(m.group(1)), Double.parseDouble(m.group(3)), Long.parseLong(m.group(6))));
            }
        }
        return rows;
    }
}
