package io.slipstream.trainer.cv;

import io.slipstream.comm.Communicator;
import io.slipstream.trainer.cv.SearchResults.Aggregate;
import io.slipstream.trainer.cv.SearchResults.Evaluation;
import io.slipstream.trainer.cv.SearchResults.FitScore;
import io.slipstream.trainer.cv.SearchResults.Refit;
import io.slipstream.trainer.cv.SearchResults.Saved;
import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.data.Fold;
import io.slipstream.trainer.data.Seeds;
import io.slipstream.trainer.data.StratifiedKFold;
import io.slipstream.trainer.metrics.AdjustedRandIndex;
import io.slipstream.trainer.metrics.ClassificationMetrics;
import io.slipstream.trainer.metrics.ConfusionMatrix;
import io.slipstream.trainer.metrics.ModelEvaluation;
import io.slipstream.trainer.model.Clusterer;
import io.slipstream.trainer.model.ComparedToBaseline;
import io.slipstream.trainer.model.Diagnostics;
import io.slipstream.trainer.model.FeatureImportances;
import io.slipstream.trainer.model.FitContext;
import io.slipstream.trainer.model.FitId;
import io.slipstream.trainer.model.Model;
import io.slipstream.trainer.search.Settings;
import io.slipstream.trainer.tasks.RankGroups;
import io.slipstream.trainer.tasks.SchedulingPolicy;
import io.slipstream.trainer.tasks.SearchGraph;
import io.slipstream.trainer.tasks.Task;
import io.slipstream.trainer.tasks.TaskJournal;
import io.slipstream.trainer.tasks.TaskResults;
import io.slipstream.trainer.tasks.TaskRunner;
import io.slipstream.trainer.tasks.WaveScheduler;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A cross-validated search as a task graph run by the {@link WaveScheduler}: fit-and-score per (setting,
 * fold), aggregate per setting, refit the best on the whole training set, evaluate it on the test set,
 * save it. Fit (setting s, fold f) uses the seed derived from (job seed, s, f) and the refit (job seed, s,
 * folds), so the table and the best setting are the same whatever the mode, group sizes or order.
 * Every rank of the world calls {@link #run}; every rank returns the same outcome.
 */
public final class CrossValidatedSearch<P> implements TaskRunner
{
    private final SearchSetup<P> setup;
    private final SearchGraph ids;
    private Model refitted;
    private int bestIndex = -1;

    private CrossValidatedSearch(final SearchSetup<P> setup, final SearchGraph ids)
    {
        this.setup = setup;
        this.ids = ids;
    }

    public static SearchOutcome run(final SearchSetup<?> setup, final Communicator world, final RankGroups groups,
        final SchedulingPolicy policy)
    {
        return run(setup, world, groups, policy, null);
    }

    /**
     * As {@link #run(SearchSetup, Communicator, RankGroups, SchedulingPolicy)}, keeping finished fits in
     * {@code journal} (world rank 0; may be null) and stopping at a wave boundary when the setup's hooks
     * ask to, with {@link io.slipstream.trainer.tasks.SearchStoppedException}.
     */
    public static SearchOutcome run(final SearchSetup<?> setup, final Communicator world, final RankGroups groups,
        final SchedulingPolicy policy, final TaskJournal journal)
    {
        return typed(setup, world, groups, policy, journal);
    }

    private static <P> SearchOutcome typed(final SearchSetup<P> setup, final Communicator world,
        final RankGroups groups, final SchedulingPolicy policy, final TaskJournal journal)
    {
        final int settings = setup.settings().size();
        final int folds = setup.folds().length;
        final double[] fitCost = setup.fitCost();
        double refitCost = 0;
        for (final double c : fitCost)
        {
            refitCost = Math.max(refitCost, c);
        }
        final SearchGraph ids = SearchGraph.build(settings, folds, fitCost, setup.fitPriority(), refitCost);
        final CrossValidatedSearch<P> runner = new CrossValidatedSearch<>(setup, ids);
        final WaveScheduler.Outcome outcome = new WaveScheduler(world, groups, policy, setup.hooks(), journal)
            .run(ids.graph(), runner);
        final TaskResults results = outcome.results();

        final double[][] scores = new double[settings][folds];
        final double[][] fitSeconds = new double[settings][folds];
        final double[][] scoreSeconds = new double[settings][folds];
        for (int s = 0; s < settings; s++)
        {
            for (int f = 0; f < folds; f++)
            {
                final FitScore r = results.get(ids.fit(s, f), FitScore.CODEC);
                scores[s][f] = r.score();
                fitSeconds[s][f] = r.fitSeconds();
                scoreSeconds[s][f] = r.scoreSeconds();
            }
        }
        final CvTable table = new CvTable(setup.settings(), scores, fitSeconds, scoreSeconds);
        final Refit refit = results.get(ids.refit(), Refit.CODEC);
        final Evaluation evaluation = results.get(ids.evaluate(), Evaluation.CODEC);
        final Saved saved = results.get(ids.save(), Saved.CODEC);
        return new SearchOutcome(table, refit.best(), evaluation.metrics(), evaluation.confusion(),
            evaluation.importances(), saved.file(), refit.seconds(), evaluation.seconds(), outcome.waves(),
            outcome.restored());
    }

    /**
     * A fingerprint of everything that decides the fit results (family, settings, folds, seed, scorer and
     * the training rows), so a journal is only reused by the same job.
     */
    public static long fingerprint(final SearchSetup<?> setup)
    {
        long h = Seeds.mix(setup.seed());
        h = Seeds.derive(h, setup.family().name().hashCode());
        h = Seeds.derive(h, setup.scorer().name().hashCode());
        for (final Map<String, Object> s : setup.settings())
        {
            h = Seeds.derive(h, Settings.text(s).hashCode());
        }
        for (final Fold fold : setup.folds())
        {
            h = Seeds.derive(h, Arrays.hashCode(fold.train()));
            h = Seeds.derive(h, Arrays.hashCode(fold.test()));
        }
        final Dataset train = setup.train();
        for (int i = 0; i < train.size(); i++)
        {
            h = Seeds.derive(h, train.label(i));
            for (int f = 0; f < train.numFeatures(); f++)
            {
                h = Seeds.derive(h, Double.doubleToLongBits(train.feature(i, f)));
            }
        }
        return h;
    }

    @Override
    public byte[] run(final Task task, final Communicator group, final TaskResults results) throws Exception
    {
        switch (task.kind())
        {
            case FIT_SCORE:
                return FitScore.CODEC.encode(fitScore(task.setting(), task.fold(), group));
            case AGGREGATE:
            {
                final double[] scores = new double[setup.folds().length];
                for (int f = 0; f < scores.length; f++)
                {
                    scores[f] = results.get(ids.fit(task.setting(), f), FitScore.CODEC).score();
                }
                return Aggregate.CODEC.encode(new Aggregate(CvTable.mean(scores), CvTable.std(scores)));
            }
            case REFIT:
                return Refit.CODEC.encode(refit(group, results));
            case EVALUATE:
                return Evaluation.CODEC.encode(evaluate(group));
            case SAVE:
                return Saved.CODEC.encode(save(group));
            default:
                throw new IllegalStateException("unknown task kind " + task.kind());
        }
    }

    private FitScore fitScore(final int s, final int f, final Communicator group)
    {
        final Fold fold = setup.folds()[f];
        setup.hooks().fitStarting(FitId.cv(s, setup.settings().size(), f, setup.folds().length));
        final long start = System.nanoTime();
        final Model model = setup.family().fit(setup.train().subset(fold.train()), setup.params().get(s),
            new FitContext(group, Seeds.derive(setup.seed(), s, f), setup.hooks()));
        final long fitted = System.nanoTime();
        final Dataset validation = setup.train().subset(fold.test());
        final double score = setup.scorer().score(model, validation);
        final long scored = System.nanoTime();
        return new FitScore(score, (fitted - start) / 1e9, (scored - fitted) / 1e9);
    }

    private Refit refit(final Communicator group, final TaskResults results)
    {
        // Best = highest mean; the first setting wins ties (as scikit-learn's rank 1 with the lowest index).
        int best = 0;
        double bestMean = Double.NEGATIVE_INFINITY;
        for (int s = 0; s < setup.settings().size(); s++)
        {
            final double mean = results.get(ids.aggregate(s), Aggregate.CODEC).mean();
            if (mean > bestMean)
            {
                bestMean = mean;
                best = s;
            }
        }
        bestIndex = best;
        setup.hooks().fitStarting(FitId.refitOf(best, setup.settings().size()));
        final long start = System.nanoTime();
        refitted = setup.family().fit(setup.train(), setup.params().get(best), refitContext(group));
        return new Refit(best, (System.nanoTime() - start) / 1e9);
    }

    private FitContext refitContext(final Communicator group)
    {
        return new FitContext(group, Seeds.derive(setup.seed(), bestIndex, setup.folds().length), setup.hooks());
    }

    private Evaluation evaluate(final Communicator group)
    {
        final long start = System.nanoTime();
        final Map<String, Double> metrics = new LinkedHashMap<>();
        ConfusionMatrix confusion = null;
        final Dataset test = setup.test();
        if (setup.scorer().needsLabels())
        {
            confusion = ModelEvaluation.confusion(refitted, test, group);
            putClassification(metrics, "", new ClassificationMetrics(confusion));
        }
        else
        {
            if (refitted instanceof Clusterer clusterer)
            {
                metrics.put("inertia", clusterer.inertia(test));
            }
            metrics.put("silhouette", Scorers.silhouette(refitted, test));
            final int[] labels = StratifiedKFold.labelsOf(test);
            if (Arrays.stream(labels).anyMatch(y -> y != Dataset.UNLABELED))
            {
                // The data came with classes (e.g. generated blobs): how well do the clusters recover them?
                metrics.put("adjusted_rand", AdjustedRandIndex.score(labels, refitted.predict(test)));
            }
        }
        if (!metrics.containsKey(setup.scorer().name()))
        {
            metrics.put(setup.scorer().name(), setup.scorer().score(refitted, test));
        }
        if (refitted instanceof Diagnostics diagnostics)
        {
            metrics.putAll(diagnostics.diagnostics());
        }
        if (setup.family() instanceof ComparedToBaseline<?> compared)
        {
            final Model baseline = baseline(compared, setup.train().labeledRows(), refitContext(group));
            putClassification(metrics, "baseline_",
                new ClassificationMetrics(ModelEvaluation.confusion(baseline, test, group)));
        }
        final Map<String, Double> importances = refitted instanceof FeatureImportances f ?
            new LinkedHashMap<>(f.importances()) : new LinkedHashMap<>();
        return new Evaluation(metrics, confusion, importances, (System.nanoTime() - start) / 1e9);
    }

    /** A family that is compared with a baseline is so for its own parameter type (it implements both with P). */
    @SuppressWarnings("unchecked")
    private Model baseline(final ComparedToBaseline<?> compared, final Dataset labeled, final FitContext context)
    {
        return ((ComparedToBaseline<P>)compared).fitBaseline(setup.params().get(bestIndex), labeled, context);
    }

    private Saved save(final Communicator group) throws IOException
    {
        if (setup.store() == null || group.rank() != 0)
        {
            return new Saved(null);
        }
        return new Saved(setup.store().save(refitted));
    }

    private static void putClassification(final Map<String, Double> metrics, final String prefix,
        final ClassificationMetrics m)
    {
        metrics.put(prefix + "accuracy", m.accuracy());
        metrics.put(prefix + "precision_macro", m.precisionMacro());
        metrics.put(prefix + "recall_macro", m.recallMacro());
        metrics.put(prefix + "f1_macro", m.f1Macro());
        metrics.put(prefix + "precision_weighted", m.precisionWeighted());
        metrics.put(prefix + "recall_weighted", m.recallWeighted());
        metrics.put(prefix + "f1_weighted", m.f1Weighted());
    }
}
