package io.slipstream.trainer.report;

import io.slipstream.trainer.cv.CvTable;
import io.slipstream.trainer.cv.SearchOutcome;
import io.slipstream.trainer.metrics.ConfusionMatrix;
import io.slipstream.trainer.search.Settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code report.html}: one self-contained page (inline CSS and SVG, no scripts, nothing fetched) with the
 * run facts (world size, groups, nodes, where the wall time went, the data: rows, features, classes and their
 * balance), the learning curves of every fit (training loss per epoch from {@code metrics.jsonl}, beside each
 * cross-validation fit's validation score), the mean CV score of every setting (a point with a +/- 1 std bar, the
 * best in a different colour), one slice plot per searched parameter (each setting's mean CV score against its
 * value, as Optuna's slice plot), the mean and best score per value of each searched parameter, the ten best
 * settings, the test metrics, the confusion matrix shaded by count, and feature importances when the model has
 * them. Each panel is a {@code <section class="panel">} with a stable id ({@code run-facts},
 * {@code learning-curves}, {@code cv-scores}, {@code cv-slices}, {@code test-set}, {@code feature-importances}).
 */
public final class HtmlReport
{
    public static final String FILE_NAME = "report.html";
    private static final int WIDTH = 900;
    private static final int HEIGHT = 300;
    private static final int MARGIN = 50;
    private static final int SLICE_WIDTH = 420;
    private static final int SLICE_HEIGHT = 260;
    /** Curves named one by one in the legend; beyond, the colour tells the setting. */
    private static final int LEGEND_CURVES = 12;

    private HtmlReport()
    {
    }

    static Path write(final ExperimentSummary summary, final Path dir) throws IOException
    {
        final SearchOutcome outcome = summary.outcome();
        final String metric = summary.metric();
        final StringBuilder html = new StringBuilder(32 * 1024);
        html.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(escape(summary.title()))
            .append("</title>\n<style>body{font-family:sans-serif;margin:2em;color:#222;max-width:1400px}" +
            "table{border-collapse:collapse;margin:0.5em 0}" +
            "td,th{border:1px solid #bbb;padding:4px 8px;text-align:right}th{background:#eee}" +
            "td.l,th.l{text-align:left}td.l{font-family:monospace}" +
            "section.panel{border:1px solid #ddd;border-radius:6px;padding:0.5em 1.2em 1em;margin:1.2em 0}" +
            ".row{display:flex;flex-wrap:wrap;gap:1em;align-items:flex-start}.slice{margin:0}" +
            ".slice h4{margin:0.4em 0;font-family:monospace}.note{color:#666}" +
            ".legend span{display:inline-block;margin-right:1em;font-size:12px}" +
            ".legend i{display:inline-block;width:14px;height:3px;margin-right:4px;vertical-align:middle}" +
            "</style></head><body>\n");
        html.append("<h1>").append(escape(summary.title())).append("</h1>\n");
        if (outcome.table().folds() == 0)
        {
            html.append("<p>").append(escape(summary.family())).append(". No cross-validation: one fit of <code>")
                .append(escape(Settings.text(outcome.bestParams()))).append("</code> on the training set.</p>\n");
        }
        else
        {
            html.append(String.format(Locale.ROOT, "<p>%s, %s search. Best %s (mean of %d folds): <b>%.4f</b> " +
                "&plusmn; %.4f with <code>%s</code></p>\n", escape(summary.family()), escape(summary.strategy()),
                escape(metric), outcome.table().folds(), outcome.bestScore(),
                outcome.table().stdScore(outcome.bestIndex()), escape(Settings.text(outcome.bestParams()))));
        }
        runFacts(html, summary);
        learningCurves(html, summary.curves(), outcome.table(), metric);
        if (outcome.table().folds() > 0)
        {
            html.append("<section class=\"panel\" id=\"cv-scores\"><h2>CV score across the search</h2>\n");
            scoreChart(html, outcome.table(), outcome.bestIndex(), metric);
            slices(html, outcome.table(), outcome.bestIndex(), metric);
            marginals(html, outcome.table());
            topSettings(html, outcome.table());
            html.append("</section>\n");
        }
        html.append("<section class=\"panel\" id=\"test-set\"><h2>Test set</h2>\n<table><tr>" +
            "<th>metric</th><th>value</th></tr>\n");
        outcome.testMetrics().forEach((k, v) -> html.append(String.format(Locale.ROOT,
            "<tr><td class=\"l\">%s</td><td>%.4f</td></tr>\n", escape(k), v)));
        html.append("</table>\n");
        final String[] classNames = summary.classNames();
        if (outcome.confusion() != null && outcome.confusion().numClasses() <= ExperimentSummary.SHOWN_CLASSES)
        {
            confusion(html, outcome.confusion(), classNames);
        }
        else if (outcome.confusion() != null)
        {
            html.append("<p>The confusion matrix (").append(outcome.confusion().numClasses())
                .append(" classes) is in ").append(ExperimentSummary.CONFUSION_CSV).append(".</p>\n");
        }
        html.append("</section>\n");
        if (!outcome.featureImportances().isEmpty())
        {
            importances(html, outcome.featureImportances());
        }
        html.append("</body></html>\n");
        final Path file = dir.resolve(FILE_NAME);
        return OwnerOnlyFile.write(file, out -> out.write(html.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** World size, groups, nodes, the wall time by phase (a table and a stacked bar) and the data. */
    private static void runFacts(final StringBuilder html, final ExperimentSummary summary)
    {
        final SearchOutcome outcome = summary.outcome();
        final RunFacts facts = summary.facts();
        html.append("<section class=\"panel\" id=\"run-facts\"><h2>Run</h2>\n<div class=\"row\"><table>" +
            "<tr><th class=\"l\">fact</th><th>value</th></tr>\n");
        fact(html, "world size (ranks)", String.valueOf(summary.worldSize()));
        fact(html, "execution", escape(summary.mode()) + ", " + summary.groups() + " group(s)");
        fact(html, "nodes", String.valueOf(facts.nodes()));
        fact(html, "fits", outcome.table().folds() == 0 ? "1 fit on the training set (no cross-validation)" :
            outcome.table().settingCount() + " setting(s) x " + outcome.table().folds() + " folds + 1 refit");
        fact(html, "waves", String.valueOf(outcome.waves()));
        if (outcome.resumedTasks() > 0)
        {
            fact(html, "resumed tasks", String.valueOf(outcome.resumedTasks()));
        }
        html.append("</table>\n<table id=\"phase-seconds\"><tr><th class=\"l\">phase</th><th>seconds</th>" +
            "<th>share</th></tr>\n");
        final Map<String, Double> phases = summary.phaseSeconds();
        final double total = Math.max(phases.get("total"), 1e-9);
        for (final Map.Entry<String, Double> e : phases.entrySet())
        {
            html.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%s</td><td>%.2f</td><td>%s</td></tr>\n",
                e.getKey(), e.getValue(), e.getKey().equals("total") ? "" :
                String.format(Locale.ROOT, "%.0f%%", 100 * e.getValue() / total)));
        }
        html.append("</table>\n");
        dataFacts(html, facts.data());
        html.append("</div>\n<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"time-split\" width=\"").append(WIDTH)
            .append("\" height=\"46\" role=\"img\">\n");
        double x = 0;
        int colour = 0;
        for (final Map.Entry<String, Double> e : phases.entrySet())
        {
            if (e.getKey().equals("total"))
            {
                continue;
            }
            final double w = WIDTH * e.getValue() / total;
            html.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"24\" " +
                "fill=\"%s\"><title>%s: %.2f s</title></rect>", x, w, Plot.PALETTE[colour], e.getKey(),
                e.getValue()));
            html.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"32\" width=\"10\" height=\"10\" " +
                "fill=\"%s\"/><text x=\"%d\" y=\"41\" font-size=\"11\">%s</text>\n", colour * 110, Plot.PALETTE[colour],
                colour * 110 + 14, e.getKey()));
            x += w;
            colour++;
        }
        html.append("</svg>\n</section>\n");
    }

    private static void fact(final StringBuilder html, final String name, final String value)
    {
        html.append("<tr><td class=\"l\">").append(name).append("</td><td>").append(value).append("</td></tr>\n");
    }

    /** Rows, features and the class balance (a bar per class while there are few enough to read). */
    private static void dataFacts(final StringBuilder html, final DataFacts data)
    {
        html.append("<table id=\"data-facts\"><tr><th class=\"l\">data</th><th>value</th></tr>\n");
        fact(html, "rows", data.rows() + " (train " + data.trainRows() + ", test " + data.testRows() + ")");
        final String[] features = data.featureNames();
        fact(html, "features", features.length + (features.length <= 12 ? ": " +
            escape(String.join(", ", features)) : ""));
        final String[] classes = data.classNames();
        fact(html, "classes", String.valueOf(classes.length));
        if (data.unlabeled() > 0)
        {
            fact(html, "unlabeled rows", String.valueOf(data.unlabeled()));
        }
        html.append("</table>\n");
        if (classes.length == 0)
        {
            return;
        }
        final long[] counts = data.classCounts();
        long max = 1;
        long min = Long.MAX_VALUE;
        for (final long c : counts)
        {
            max = Math.max(max, c);
            min = Math.min(min, c);
        }
        if (classes.length > ExperimentSummary.SHOWN_CLASSES)
        {
            html.append(String.format(Locale.ROOT, "<p id=\"class-balance\">class balance: %d to %d rows per class " +
                "over %d classes</p>\n", min, max, classes.length));
            return;
        }
        html.append("<table id=\"class-balance\"><tr><th class=\"l\">class</th><th>rows</th><th></th></tr>\n");
        for (int c = 0; c < classes.length; c++)
        {
            html.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%s</td><td>%d</td><td class=\"l\">" +
                "<svg width=\"160\" height=\"10\"><rect width=\"%.1f\" height=\"10\" fill=\"#2ca02c\"/></svg>" +
                "</td></tr>\n", escape(classes[c]), counts[c], 160.0 * counts[c] / max));
        }
        html.append("</table>\n");
    }

    /**
     * Training loss per epoch, one line per fit (a colour each while they fit the palette, else by setting), beside each cross-validation fit's validation
     * score (its fold's score, a point at the fit's last epoch). A run without step reports gets a note.
     */
    private static void learningCurves(final StringBuilder html, final LearningCurves curves, final CvTable table,
        final String metric)
    {
        html.append("<section class=\"panel\" id=\"learning-curves\"><h2>Learning curves</h2>\n");
        if (curves.curves().isEmpty())
        {
            html.append("<p class=\"note\">No fit reported training steps (").append(LearningCurves.METRICS_FILE)
                .append(" has none): this family does not train in epochs.</p>\n</section>\n");
            return;
        }
        int maxEpoch = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double scoreLo = Double.POSITIVE_INFINITY;
        double scoreHi = Double.NEGATIVE_INFINITY;
        for (final LearningCurves.Curve c : curves.curves())
        {
            final int[] epochs = c.epochs();
            maxEpoch = Math.max(maxEpoch, epochs[epochs.length - 1] + 1);
            for (final double l : c.loss())
            {
                if (Double.isFinite(l))
                {
                    lo = Math.min(lo, l);
                    hi = Math.max(hi, l);
                }
            }
            if (isCvFit(c, table))
            {
                scoreLo = Math.min(scoreLo, table.score(c.setting(), c.fold()));
                scoreHi = Math.max(scoreHi, table.score(c.setting(), c.fold()));
            }
        }
        html.append("<div class=\"row\">\n");
        final Plot loss = new Plot(WIDTH * 2 / 3, HEIGHT, 1, Math.max(maxEpoch, 1), lo, hi);
        loss.open(html, "loss-curves", "epoch", "training loss (mean of the epoch's reported steps)", true, null);
        final boolean byFit = curves.curves().size() <= Plot.PALETTE.length;
        int index = 0;
        for (final LearningCurves.Curve c : curves.curves())
        {
            final int[] epochs = c.epochs();
            final double[] values = c.loss();
            final StringBuilder points = new StringBuilder();
            for (int i = 0; i < epochs.length; i++)
            {
                if (Double.isFinite(values[i]))
                {
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ", loss.px(epochs[i] + 1), loss.py(values[i])));
                }
            }
            html.append(String.format(Locale.ROOT, "<polyline class=\"curve\" points=\"%s\" fill=\"none\" " +
                "stroke=\"%s\" stroke-width=\"%s\"%s><title>%s: loss %s after epoch %d</title></polyline>\n",
                points.toString().trim(), Plot.PALETTE[byFit ? index++ : Math.floorMod(c.setting(), Plot.PALETTE.length)],
                c.refit() ? "2.5" : "1.5",
                c.refit() ? "" : " stroke-opacity=\"0.75\"", escape(c.label()), Plot.number(values[values.length - 1]),
                epochs[epochs.length - 1] + 1));
        }
        Plot.close(html);
        if (scoreHi >= scoreLo)
        {
            final Plot score = new Plot(WIDTH / 3, HEIGHT, 1, Math.max(maxEpoch, 1), scoreLo, scoreHi);
            score.open(html, "validation-scores", "epoch the fit ended", "validation " + metric + " (fold)", true,
                null);
            int fit = 0;
            for (final LearningCurves.Curve c : curves.curves())
            {
                final String fill = Plot.PALETTE[byFit ? fit++ : Math.floorMod(c.setting(), Plot.PALETTE.length)];
                if (isCvFit(c, table))
                {
                    final int[] epochs = c.epochs();
                    final double value = table.score(c.setting(), c.fold());
                    html.append(String.format(Locale.ROOT, "<circle class=\"score\" cx=\"%.1f\" cy=\"%.1f\" " +
                        "r=\"4\" fill=\"%s\"><title>%s: %s %.4f</title></circle>\n",
                        score.px(epochs[epochs.length - 1] + 1), score.py(value), fill,
                        escape(c.label()), escape(metric), value));
                }
            }
            Plot.close(html);
        }
        html.append("</div>\n<p class=\"legend\">");
        final List<LearningCurves.Curve> all = curves.curves();
        for (int i = 0; i < Math.min(LEGEND_CURVES, all.size()); i++)
        {
            html.append("<span><i style=\"background:").append(Plot.PALETTE[byFit ? i :
                Math.floorMod(all.get(i).setting(), Plot.PALETTE.length)]).append("\"></i>")
                .append(escape(all.get(i).label())).append("</span>");
        }
        if (all.size() > LEGEND_CURVES)
        {
            html.append("<span>and ").append(all.size() - LEGEND_CURVES).append(" more fits (colour: setting; " +
                "hover a line for its fit)</span>");
        }
        html.append("</p>\n");
        if (curves.skippedLines() > 0)
        {
            html.append("<p class=\"note\">").append(curves.skippedLines()).append(" line(s) of ")
                .append(LearningCurves.METRICS_FILE).append(" were not step reports and are left out.</p>\n");
        }
        html.append("</section>\n");
    }

    private static boolean isCvFit(final LearningCurves.Curve c, final CvTable table)
    {
        return !c.refit() && c.fold() >= 0 && c.setting() < table.settingCount() && c.fold() < table.folds();
    }

    /**
     * One panel per searched parameter (two or more values): each setting's mean CV score (+/- 1 std) against the
     * parameter's value, on a number axis when every value is a number, else one position per value.
     */
    private static void slices(final StringBuilder html, final CvTable table, final int best, final String metric)
    {
        final List<String> keys = new ArrayList<>();
        for (final String key : Settings.keys(table.settings()))
        {
            final Set<String> values = new LinkedHashSet<>();
            for (int s = 0; s < table.settingCount(); s++)
            {
                values.add(String.valueOf(table.setting(s).get(key)));
            }
            if (values.size() >= 2)
            {
                keys.add(key);
            }
        }
        html.append("<h3>Score by parameter (one panel per parameter)</h3>\n<div class=\"row\" id=\"cv-slices\">\n");
        if (keys.isEmpty())
        {
            html.append("<p class=\"note\">The search tried one value per parameter: nothing to compare.</p>\n");
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int s = 0; s < table.settingCount(); s++)
        {
            lo = Math.min(lo, table.meanScore(s) - table.stdScore(s));
            hi = Math.max(hi, table.meanScore(s) + table.stdScore(s));
        }
        int panel = 0;
        for (final String key : keys)
        {
            boolean numeric = true;
            double xLo = Double.POSITIVE_INFINITY;
            double xHi = Double.NEGATIVE_INFINITY;
            final List<String> categories = new ArrayList<>();
            for (int s = 0; s < table.settingCount(); s++)
            {
                final Object v = table.setting(s).get(key);
                if (v instanceof Number n && Double.isFinite(n.doubleValue()))
                {
                    xLo = Math.min(xLo, n.doubleValue());
                    xHi = Math.max(xHi, n.doubleValue());
                }
                else
                {
                    numeric = false;
                }
                if (!categories.contains(String.valueOf(v)))
                {
                    categories.add(String.valueOf(v));
                }
            }
            html.append("<figure class=\"slice\"><h4>").append(escape(key)).append("</h4>\n");
            final String id = "slice-" + panel++;
            final Plot plot = numeric ? new Plot(SLICE_WIDTH, SLICE_HEIGHT, xLo, xHi, lo, hi) :
                new Plot(SLICE_WIDTH, SLICE_HEIGHT, -0.5, categories.size() - 0.5, lo, hi);
            if (numeric)
            {
                double[] ticks = null;
                if (categories.size() <= 8)
                {
                    ticks = new double[categories.size()];
                    for (int c = 0; c < ticks.length; c++)
                    {
                        ticks[c] = Double.parseDouble(categories.get(c));
                    }
                }
                plot.open(html, id, key, "mean CV " + metric, false, ticks);
            }
            else
            {
                plot.openCategorical(html, id, categories, key, "mean CV " + metric);
            }
            for (int s = 0; s < table.settingCount(); s++)
            {
                final Object v = table.setting(s).get(key);
                final double x = plot.px(numeric ? ((Number)v).doubleValue() : categories.indexOf(String.valueOf(v)));
                final String fill = s == best ? "#d62728" : "#1f77b4";
                html.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" " +
                    "stroke=\"%s\" stroke-opacity=\"0.3\"/><circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" " +
                    "r=\"%d\" fill=\"%s\" fill-opacity=\"0.7\"><title>#%d %s: %.4f</title></circle>\n", x,
                    plot.py(table.meanScore(s) - table.stdScore(s)), x, plot.py(table.meanScore(s) + table.stdScore(s)),
                    fill, x, plot.py(table.meanScore(s)), s == best ? 5 : 3, fill, s,
                    escape(Settings.text(table.setting(s))), table.meanScore(s)));
            }
            Plot.close(html);
            html.append("</figure>\n");
        }
        html.append("</div>\n");
    }

    /** Importances, largest first, each with a bar scaled to the largest. */
    private static void importances(final StringBuilder html, final Map<String, Double> importances)
    {
        final List<Map.Entry<String, Double>> sorted = new ArrayList<>(importances.entrySet());
        sorted.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        final double max = Math.max(sorted.get(0).getValue(), 1e-12);
        html.append("<section class=\"panel\" id=\"feature-importances\"><h3>Feature importances (mean decrease in " +
            "impurity)</h3>\n<table><tr><th>feature</th><th>importance</th><th></th></tr>\n");
        for (final Map.Entry<String, Double> e : sorted)
        {
            html.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%s</td><td>%.4f</td><td class=\"l\">" +
                "<svg width=\"240\" height=\"10\"><rect width=\"%.1f\" height=\"10\" fill=\"#1f77b4\"/></svg>" +
                "</td></tr>\n", escape(e.getKey()), e.getValue(), 240 * Math.max(0, e.getValue()) / max));
        }
        html.append("</table>\n</section>\n");
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
        if (!(hi - lo > 1e-9))
        {
            final double pad = Math.max(Math.abs(lo) * 0.05, 1e-3);
            lo -= pad;
            hi += pad;
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
