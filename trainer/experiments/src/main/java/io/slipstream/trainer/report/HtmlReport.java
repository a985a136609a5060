package io.slipstream.trainer.report;

import io.slipstream.trainer.cv.CvTable;
import io.slipstream.trainer.cv.SearchOutcome;
import io.slipstream.trainer.metrics.ConfusionMatrix;
import io.slipstream.trainer.search.Settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.html}: one self-contained page (inline CSS and SVG, no scripts, nothing fetched) with the
 * mean CV score of every setting (a point with a +/- 1 std bar, the best in a different colour), the mean
 * and best score per value of each searched parameter, the ten best settings, the test metrics, the
 * confusion matrix shaded by count, and feature importances when the model has them.
 */
public final class HtmlReport
{
    public static final String FILE_NAME = "report.html";
    private static final int WIDTH = 900;
    private static final int HEIGHT = 300;
    private static final int MARGIN = 50;

    private HtmlReport()
    {
    }

    public static Path write(final String title, final String metric, final SearchOutcome outcome,
        final String[] classNames, final Path dir) throws IOException
    {
        final StringBuilder html = new StringBuilder(16 * 1024);
        html.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(escape(title))
            .append("</title>\n<style>body{font-family:sans-serif;margin:2em;color:#222}" +
            "table{border-collapse:collapse}" +
            "td,th{border:1px solid #bbb;padding:4px 8px;text-align:right}th{background:#eee}" +
            "td.l{text-align:left;font-family:monospace}</style></head><body>\n");
        html.append("<h1>").append(escape(title)).append("</h1>\n");
        if (outcome.table().folds() == 0)
        {
            html.append("<p>No cross-validation: one fit of <code>").append(escape(Settings.text(outcome.bestParams())))
                .append("</code> on the training set.</p>\n");
        }
        else
        {
            html.append(String.format(Locale.ROOT, "<p>Best %s (mean of %d folds): <b>%.4f</b> &plusmn; %.4f with " +
                "<code>%s</code></p>\n", escape(metric), outcome.table().folds(), outcome.bestScore(),
                outcome.table().stdScore(outcome.bestIndex()), escape(Settings.text(outcome.bestParams()))));
            html.append("<h2>CV score across the search</h2>\n");
            scoreChart(html, outcome.table(), outcome.bestIndex(), metric);
            marginals(html, outcome.table());
            topSettings(html, outcome.table());
        }
        html.append("<h2>Test set</h2>\n<table><tr><th>metric</th><th>value</th></tr>\n");
        outcome.testMetrics().forEach((k, v) -> html.append(String.format(Locale.ROOT,
            "<tr><td class=\"l\">%s</td><td>%.4f</td></tr>\n", escape(k), v)));
        html.append("</table>\n");
        if (outcome.confusion() != null && outcome.confusion().numClasses() <= ExperimentSummary.SHOWN_CLASSES)
        {
            confusion(html, outcome.confusion(), classNames);
        }
        else if (outcome.confusion() != null)
        {
            html.append("<p>The confusion matrix (").append(outcome.confusion().numClasses())
                .append(" classes) is in ").append(ExperimentSummary.CONFUSION_CSV).append(".</p>\n");
        }
        if (!outcome.featureImportances().isEmpty())
        {
            html.append("<h3>Feature importances (mean decrease in impurity)</h3>\n<table><tr><th>feature</th>" +
                "<th>importance</th><th></th></tr>\n");
            outcome.featureImportances().forEach((k, v) -> html.append(String.format(Locale.ROOT,
                "<tr><td class=\"l\">%s</td><td>%.4f</td><td class=\"l\"><svg width=\"200\" height=\"10\">" +
                "<rect width=\"%.1f\" height=\"10\" fill=\"#1f77b4\"/></svg></td></tr>\n", escape(k), v, 200 * v)));
            html.append("</table>\n");
        }
        html.append("</body></html>\n");
        final Path file = dir.resolve(FILE_NAME);
        return OwnerOnlyFile.write(file, out -> out.write(html.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static void scoreChart(final StringBuilder html, final CvTable table, final int best, final String metric)
    {
        final int n = table.settingCount();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int s = 0; s < n; s++)
        {
            lo = Math.min(lo, table.meanScore(s) - table.stdScore(s));
            hi = Math.max(hi, table.meanScore(s) + table.stdScore(s));
        }
        if (!(hi > lo))
        {
            hi = lo + 1e-9;
        }
        final double plotW = WIDTH - 2 * MARGIN;
        final double plotH = HEIGHT - 2 * MARGIN;
        html.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" " +
            "role=\"img\"><rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n", WIDTH, HEIGHT));
        html.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>" +
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>\n", MARGIN, HEIGHT - MARGIN,
            WIDTH - MARGIN, HEIGHT - MARGIN, MARGIN, MARGIN, MARGIN, HEIGHT - MARGIN));
        for (int t = 0; t <= 4; t++)
        {
            final double v = lo + (hi - lo) * t / 4;
            final double y = HEIGHT - MARGIN - plotH * t / 4;
            html.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">" +
                "%.3f</text><line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>\n", MARGIN - 4,
                y + 3, v, MARGIN, y, WIDTH - MARGIN, y));
        }
        for (int s = 0; s < n; s++)
        {
            final double x = MARGIN + plotW * (n == 1 ? 0.5 : (double)s / (n - 1));
            final double y = HEIGHT - MARGIN - plotH * (table.meanScore(s) - lo) / (hi - lo);
            final double y1 = HEIGHT - MARGIN - plotH * (table.meanScore(s) - table.stdScore(s) - lo) / (hi - lo);
            final double y2 = HEIGHT - MARGIN - plotH * (table.meanScore(s) + table.stdScore(s) - lo) / (hi - lo);
            final String colour = s == best ? "#d62728" : "#1f77b4";
            html.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" " +
                "stroke=\"%s\" stroke-opacity=\"0.35\"/><circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\">" +
                "<title>#%d %s: %.4f</title></circle>\n", x, y1, x, y2, colour, x, y, s == best ? 5 : 3, colour, s,
                escape(Settings.text(table.setting(s))), table.meanScore(s)));
        }
        html.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">" +
            "setting (grid order)</text><text x=\"14\" y=\"%d\" font-size=\"12\" transform=\"rotate(-90 14 %d)\" " +
            "text-anchor=\"middle\">mean CV %s</text></svg>\n", WIDTH / 2, HEIGHT - 12, HEIGHT / 2, HEIGHT / 2,
            escape(metric)));
    }

    /** Per searched parameter: the mean and best CV score of the settings that share each value. */
    private static void marginals(final StringBuilder html, final CvTable table)
    {
        final List<String> keys = Settings.keys(table.settings());
        boolean header = false;
        for (final String key : keys)
        {
            final Map<String, double[]> byValue = new LinkedHashMap<>();
            for (int s = 0; s < table.settingCount(); s++)
            {
                final String value = String.valueOf(table.setting(s).get(key));
                final double[] acc = byValue.computeIfAbsent(value, v -> new double[]{0, 0, Double.NEGATIVE_INFINITY});
                acc[0] += table.meanScore(s);
                acc[1]++;
                acc[2] = Math.max(acc[2], table.meanScore(s));
            }
            if (byValue.size() < 2)
            {
                continue;
            }
            if (!header)
            {
                html.append("<h3>Score by parameter value</h3>\n<table><tr><th>parameter</th><th>value</th>" +
                    "<th>settings</th><th>mean CV</th><th>best CV</th></tr>\n");
                header = true;
            }
            for (final Map.Entry<String, double[]> e : byValue.entrySet())
            {
                final double[] acc = e.getValue();
                html.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%s</td><td class=\"l\">%s</td>" +
                    "<td>%d</td><td>%.4f</td><td>%.4f</td></tr>\n", escape(key), escape(e.getKey()), (int)acc[1],
                    acc[0] / acc[1], acc[2]));
            }
        }
        if (header)
        {
            html.append("</table>\n");
        }
    }

    private static void topSettings(final StringBuilder html, final CvTable table)
    {
        final Integer[] order = new Integer[table.settingCount()];
        for (int s = 0; s < order.length; s++)
        {
            order[s] = s;
        }
        Arrays.sort(order, Comparator.comparingInt(table::rank).thenComparingInt(s -> s));
        html.append("<h3>Best settings</h3>\n<table><tr><th>rank</th><th>setting</th><th>mean</th><th>std</th>" +
            "<th>mean fit s</th></tr>\n");
        for (int i = 0; i < Math.min(10, order.length); i++)
        {
            final int s = order[i];
            html.append(String.format(Locale.ROOT, "<tr><td>%d</td><td class=\"l\">%s</td><td>%.4f</td><td>%.4f</td>" +
                "<td>%.4f</td></tr>\n", table.rank(s), escape(Settings.text(table.setting(s))), table.meanScore(s),
                table.stdScore(s), table.meanFitSeconds(s)));
        }
        html.append("</table>\n");
    }

    private static void confusion(final StringBuilder html, final ConfusionMatrix cm, final String[] classNames)
    {
        long max = 1;
        for (final long c : cm.toLongArray())
        {
            max = Math.max(max, c);
        }
        html.append("<h3>Confusion matrix (rows: actual, columns: predicted)</h3>\n<table><tr><th></th>");
        for (final String name : classNames)
        {
            html.append("<th>").append(escape(name)).append("</th>");
        }
        html.append("</tr>\n");
        final long[][] rows = cm.toRows();
        for (int a = 0; a < rows.length; a++)
        {
            html.append("<tr><th>").append(escape(classNames[a])).append("</th>");
            for (int p = 0; p < rows[a].length; p++)
            {
                final int shade = 255 - (int)(155.0 * rows[a][p] / max);
                html.append(String.format(Locale.ROOT, "<td style=\"background:rgb(%d,%d,255)\">%d</td>", shade, shade,
                    rows[a][p]));
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
