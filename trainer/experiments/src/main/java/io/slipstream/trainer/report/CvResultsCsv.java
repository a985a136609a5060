package io.slipstream.trainer.report;

import io.slipstream.trainer.cv.CvTable;
import io.slipstream.trainer.search.Settings;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a {@link CvTable} with scikit-learn's {@code cv_results_} columns: mean/std fit time, mean score
 * time, {@code param_<name>} per parameter, {@code params}, {@code split<k>_test_score}, mean/std test score
 * and rank. Cells holding a comma or quote are quoted (RFC 4180).
 */
public final class CvResultsCsv
{
    public static final String FILE_NAME = "cv_results.csv";

    private CvResultsCsv()
    {
    }

    public static Path write(final CvTable table, final Path dir) throws IOException
    {
        final Path file = dir.resolve(FILE_NAME);
        final List<String> keys = Settings.keys(table.settings());
        return OwnerOnlyFile.write(file, stream ->
        {
            try (Writer out = new OutputStreamWriter(stream, StandardCharsets.UTF_8))
            {
                final StringBuilder header = new StringBuilder("mean_fit_time,std_fit_time,mean_score_time");
                for (final String key : keys)
                {
                    header.append(",param_").append(key);
                }
                header.append(",params");
                for (int f = 0; f < table.folds(); f++)
                {
                    header.append(",split").append(f).append("_test_score");
                }
                header.append(",mean_test_score,std_test_score,rank_test_score\n");
                out.write(header.toString());
                for (int s = 0; s < table.settingCount(); s++)
                {
                    final StringBuilder row = new StringBuilder();
                    row.append(number(table.meanFitSeconds(s))).append(',').append(number(table.stdFitSeconds(s)))
                        .append(',').append(number(table.meanScoreSeconds(s)));
                    for (final String key : keys)
                    {
                        row.append(',').append(cell(table.setting(s).containsKey(key) ?
                            String.valueOf(table.setting(s).get(key)) : ""));
                    }
                    row.append(',').append(cell(Settings.text(table.setting(s))));
                    for (int f = 0; f < table.folds(); f++)
                    {
                        row.append(',').append(number(table.score(s, f)));
                    }
                    row.append(',').append(number(table.meanScore(s))).append(',').append(number(table.stdScore(s)))
                        .append(',').append(table.rank(s)).append('\n');
                    out.write(row.toString());
                }
            }
        });
    }

    /** Shortest text that reads back as the same double. */
    static String number(final double value)
    {
        return Double.toString(value);
    }

    static String cell(final String text)
    {
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0)
        {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
