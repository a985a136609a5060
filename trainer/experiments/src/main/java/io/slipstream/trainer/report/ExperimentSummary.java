package io.slipstream.trainer.report;

import io.slipstream.trainer.cv.SearchOutcome;
import io.slipstream.trainer.metrics.ClassificationMetrics;
import io.slipstream.trainer.metrics.ConfusionMatrix;
import io.slipstream.trainer.search.Settings;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The end of an experiment as files and text: {@code summary.json}, {@code best_params.json},
 * {@code test_metrics.json}, {@code cv_results.csv}, {@code report.html}, and a readable summary.
 * Written by world rank 0 only.
 */
public final class ExperimentSummary
{
    public static final String SUMMARY = "summary.json";
    public static final String BEST_PARAMS = "best_params.json";
    public static final String TEST_METRICS = "test_metrics.json";
    /** The confusion matrix of a test set with more than {@link #SHOWN_CLASSES} classes, one row per line. */
    public static final String CONFUSION_CSV = "confusion_matrix.csv";
    /**
     * Classes up to which the console, summary.json and report.html show the confusion matrix itself; beyond, its
     * C x C counts (10^8 for 10^4 classes) go to {@link #CONFUSION_CSV} only.
     */
    public static final int SHOWN_CLASSES = 30;

    private final String title;
    private final String family;
    private final String strategy;
    private final String metric;
    private final String mode;
    private final int groups;
    private final int worldSize;
    private final String[] classNames;
    private final SearchOutcome outcome;
    private final double wallSeconds;
    private final RunFacts facts;
    private final LearningCurves curves;

    /**
     * @param wallSeconds seconds from the start of the run (after the data was loaded) to the summary.
     * @param facts       nodes, load and search seconds, and the data.
     * @param curves      the fits' learning curves from the run directory's metrics ({@link LearningCurves#NONE}).
     */
    public ExperimentSummary(final String title, final String family, final String strategy, final String metric,
        final String mode, final int groups, final int worldSize, final String[] classNames,
        final SearchOutcome outcome, final double wallSeconds, final RunFacts facts, final LearningCurves curves)
    {
        this.title = title;
        this.family = family;
        this.strategy = strategy;
        this.metric = metric;
        this.mode = mode;
        this.groups = groups;
        this.worldSize = worldSize;
        this.classNames = classNames.clone();
        this.outcome = outcome;
        this.wallSeconds = wallSeconds;
        this.facts = facts;
        this.curves = curves;
    }

    /**
     * Where the time went, in seconds: {@code load} (reading the data), {@code search} (the cross-validation fits
     * and their scheduling: the search's wall time less refit and evaluation), {@code refit}, {@code evaluate}
     * (the test set), {@code other} (split, outputs) and {@code total}.
     */
    public Map<String, Double> phaseSeconds()
    {
        final Map<String, Double> phases = new LinkedHashMap<>();
        phases.put("load", facts.loadSeconds());
        phases.put("search", Math.max(0, facts.searchRunSeconds() - outcome.refitSeconds() -
            outcome.evaluateSeconds()));
        phases.put("refit", outcome.refitSeconds());
        phases.put("evaluate", outcome.evaluateSeconds());
        phases.put("other", Math.max(0, wallSeconds - facts.searchRunSeconds()));
        phases.put("total", facts.loadSeconds() + wallSeconds);
        return phases;
    }

    String title()
    {
        return title;
    }

    String family()
    {
        return family;
    }

    String strategy()
    {
        return strategy;
    }

    String metric()
    {
        return metric;
    }

    String mode()
    {
        return mode;
    }

    int groups()
    {
        return groups;
    }

    int worldSize()
    {
        return worldSize;
    }

    String[] classNames()
    {
        return classNames.clone();
    }

    SearchOutcome outcome()
    {
        return outcome;
    }

    RunFacts facts()
    {
        return facts;
    }

    LearningCurves curves()
    {
        return curves;
    }

    /** The summary as a JSON-ready tree (insertion-ordered maps, lists, numbers, strings). */
    public Map<String, Object> toMap()
    {
        final Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", title);
        root.put("family", family);
        root.put("search", strategy);
        root.put("selection_metric", metric);
        root.put("best_params", outcome.bestParams());
        // Without folds (cv: none) there is no CV score: both are null.
        root.put("best_cv_score", outcome.bestScore());
        root.put("best_cv_std", outcome.table().stdScore(outcome.bestIndex()));
        root.put("test", testMap());
        final Map<String, Object> baseline = baselineMap();
        if (!baseline.isEmpty())
        {
            root.put("baseline", baseline);
        }
        if (!outcome.featureImportances().isEmpty())
        {
            root.put("feature_importances", outcome.featureImportances());
        }
        root.put("settings", outcome.table().settingCount());
        root.put("folds", outcome.table().folds());
        root.put("fits", outcome.fits());
        root.put("refits", 1);
        root.put("refit_seconds", outcome.refitSeconds());
        root.put("wall_seconds", wallSeconds);
        final double busy = busySeconds();
        root.put("fit_and_score_seconds", busy);
        // Share of the groups' time spent in tasks; the rest is scheduling, waiting, data and output.
        root.put("group_utilisation", wallSeconds > 0 ? busy / (wallSeconds * groups) : 0.0);
        root.put("world_size", worldSize);
        root.put("nodes", facts.nodes());
        root.put("phase_seconds", phaseSeconds());
        root.put("data", dataMap());
        root.put("execution", Map.of("mode", mode, "groups", groups, "waves", outcome.waves(),
            "resumed_tasks", outcome.resumedTasks()));
        if (outcome.modelFile() != null)
        {
            root.put("model_file", outcome.modelFile());
        }
        return root;
    }

    /** Seconds the groups spent in CV fits, their scoring and the refit, summed over those tasks. */
    private double busySeconds()
    {
        double total = 0;
        for (int s = 0; s < outcome.table().settingCount(); s++)
        {
            for (int f = 0; f < outcome.table().folds(); f++)
            {
                total += outcome.table().fitSeconds(s, f) + outcome.table().scoreSeconds(s, f);
            }
        }
        return total + outcome.refitSeconds();
    }

    private Map<String, Object> testMap()
    {
        final Map<String, Object> test = new LinkedHashMap<>();
        for (final Map.Entry<String, Double> e : outcome.testMetrics().entrySet())
        {
            if (!e.getKey().startsWith("baseline_"))
            {
                test.put(e.getKey(), e.getValue());
            }
        }
        final ConfusionMatrix cm = outcome.confusion();
        if (cm != null)
        {
            test.put("classes", List.of(classNames));
            if (cm.numClasses() <= SHOWN_CLASSES)
            {
                test.put("confusion_matrix", cm.toRows());
            }
            else
            {
                test.put("confusion_matrix_file", CONFUSION_CSV);
            }
            final ClassificationMetrics metrics = new ClassificationMetrics(cm);
            final Map<String, Object> perClass = new LinkedHashMap<>();
            for (int c = 0; c < classNames.length; c++)
            {
                final Map<String, Object> scores = new LinkedHashMap<>();
                scores.put("precision", metrics.precision(c));
                scores.put("recall", metrics.recall(c));
                scores.put("f1", metrics.f1(c));
                scores.put("support", metrics.support(c));
                perClass.put(classNames[c], scores);
            }
            test.put("per_class", perClass);
        }
        return test;
    }

    private Map<String, Object> dataMap()
    {
        final DataFacts data = facts.data();
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("rows", data.rows());
        map.put("train_rows", data.trainRows());
        map.put("test_rows", data.testRows());
        map.put("features", data.featureNames().length);
        final Map<String, Object> balance = new LinkedHashMap<>();
        final String[] names = data.classNames();
        final long[] counts = data.classCounts();
        for (int c = 0; c < names.length; c++)
        {
            balance.put(names[c], counts[c]);
        }
        map.put("class_counts", balance);
        map.put("unlabeled", data.unlabeled());
        return map;
    }

    private Map<String, Object> baselineMap()
    {
        final Map<String, Object> baseline = new LinkedHashMap<>();
        for (final Map.Entry<String, Double> e : outcome.testMetrics().entrySet())
        {
            if (e.getKey().startsWith("baseline_"))
            {
                baseline.put(e.getKey().substring("baseline_".length()), e.getValue());
            }
        }
        return baseline;
    }

    /** Writes every output file into {@code dir}, each owner-only (0600) and atomically. */
    public void write(final Path dir) throws IOException
    {
        final Map<String, Object> summary = toMap();
        OwnerOnlyFile.write(dir.resolve(SUMMARY), out -> JsonText.write(out, summary));
        OwnerOnlyFile.write(dir.resolve(BEST_PARAMS), out -> JsonText.write(out, outcome.bestParams()));
        OwnerOnlyFile.write(dir.resolve(TEST_METRICS), out -> JsonText.write(out, summary.get("test")));
        if (outcome.confusion() != null && outcome.confusion().numClasses() > SHOWN_CLASSES)
        {
            writeConfusion(dir.resolve(CONFUSION_CSV), outcome.confusion());
        }
        CvResultsCsv.write(outcome.table(), dir);
        HtmlReport.write(this, dir);
    }

    /** Rows are actual classes, columns predicted ones, in class order, after a header of class names. */
    private void writeConfusion(final Path file, final ConfusionMatrix cm) throws IOException
    {
        OwnerOnlyFile.write(file, stream ->
        {
            final Writer out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
            out.write("actual\\predicted");
            for (final String name : classNames)
            {
                out.write(',');
                out.write(CvResultsCsv.cell(name));
            }
            out.write('\n');
            final int k = cm.numClasses();
            for (int a = 0; a < k; a++)
            {
                out.write(CvResultsCsv.cell(classNames[a]));
                for (int p = 0; p < k; p++)
                {
                    out.write(',');
                    out.write(Long.toString(cm.count(a, p)));
                }
                out.write('\n');
            }
            out.flush();
        });
    }

    /** A readable summary for the console; {@code dir} is where the files went, or null when none were written. */
    public void print(final PrintStream out, final Path dir)
    {
        final int settings = outcome.table().settingCount();
        final int folds = outcome.table().folds();
        if (folds == 0)
        {
            out.printf(Locale.ROOT, "%s: %s, no cross-validation: 1 fit on the training set on %d rank(s) " +
                "(%s, %d group(s))%n", title, family, worldSize, mode, groups);
        }
        else
        {
            out.printf(Locale.ROOT, "%s: %s %s search, %d setting(s) x %d folds = %d fits + 1 refit on %d rank(s) " +
                "(%s, %d group(s))%n", title, family, strategy, settings, folds, settings * folds, worldSize, mode,
                groups);
        }
        if (outcome.resumedTasks() > 0)
        {
            out.println("resumed: " + outcome.resumedTasks() + " task(s) taken from the journal of a stopped run");
        }
        out.println((folds == 0 ? "params: " : "best params: ") + Settings.text(outcome.bestParams()));
        if (folds > 0)
        {
            out.printf(Locale.ROOT, "best CV %s: %.4f (std %.4f)%n", metric, outcome.bestScore(),
                outcome.table().stdScore(outcome.bestIndex()));
        }
        final StringBuilder test = new StringBuilder("test:");
        for (final Map.Entry<String, Double> e : outcome.testMetrics().entrySet())
        {
            if (!e.getKey().startsWith("baseline_"))
            {
                test.append(String.format(Locale.ROOT, " %s=%.4f", e.getKey(), e.getValue()));
            }
        }
        out.println(test);
        final Map<String, Object> baseline = baselineMap();
        if (!baseline.isEmpty())
        {
            final StringBuilder b = new StringBuilder("labeled-only baseline:");
            for (final Map.Entry<String, Object> e : baseline.entrySet())
            {
                b.append(String.format(Locale.ROOT, " %s=%.4f", e.getKey(), (Double)e.getValue()));
            }
            out.println(b);
        }
        final ConfusionMatrix cm = outcome.confusion();
        if (cm != null && cm.numClasses() > SHOWN_CLASSES)
        {
            out.println("confusion matrix: " + cm.numClasses() + " x " + cm.numClasses() + " classes, too large to " +
                "print; " + (dir != null ? "see " + dir.resolve(CONFUSION_CSV) : "enable output.report to write it"));
        }
        else if (cm != null)
        {
            out.println("confusion matrix (rows: actual, columns: predicted " + String.join(", ", classNames) + "):");
            for (final long[] row : cm.toRows())
            {
                final StringBuilder line = new StringBuilder(" ");
                for (final long c : row)
                {
                    line.append(String.format(Locale.ROOT, " %5d", c));
                }
                out.println(line);
            }
        }
        if (outcome.modelFile() != null)
        {
            out.println("model saved: " + outcome.modelFile());
        }
        if (dir != null)
        {
            out.println("outputs: " + dir + " (summary.json, cv_results.csv, report.html)");
        }
        final Map<String, Double> phases = phaseSeconds();
        out.printf(Locale.ROOT, "wall: %.2f s (load %.2f, search %.2f, refit %.2f, evaluate %.2f, other %.2f) on %d " +
            "node(s)%n", phases.get("total"), phases.get("load"), phases.get("search"), phases.get("refit"),
            phases.get("evaluate"), phases.get("other"), facts.nodes());
    }
}
