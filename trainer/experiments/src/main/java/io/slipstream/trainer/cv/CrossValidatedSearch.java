package io.slipstream.trainer.cv;

import io.slipstream.comm.Communicator;
import io.slipstream.trainer.cluster.KMeansModel;
import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.data.Fold;
import io.slipstream.trainer.data.Seeds;
import io.slipstream.trainer.data.StratifiedKFold;
import io.slipstream.trainer.forest.RandomForest;
import io.slipstream.trainer.metrics.AdjustedRandIndex;
import io.slipstream.trainer.metrics.ClassificationMetrics;
import io.slipstream.trainer.metrics.ConfusionMatrix;
import io.slipstream.trainer.model.FitContext;
import io.slipstream.trainer.model.Model;
import io.slipstream.trainer.search.Settings;
import io.slipstream.trainer.semi.SelfTrainingModel;
import io.slipstream.trainer.tasks.RankGroups;
import io.slipstream.trainer.tasks.SchedulingPolicy;
import io.slipstream.trainer.tasks.Task;
import io.slipstream.trainer.tasks.TaskGraph;
import io.slipstream.trainer.tasks.TaskJournal;
import io.slipstream.trainer.tasks.TaskResults;
import io.slipstream.trainer.tasks.TaskRunner;
import io.slipstream.trainer.tasks.WaveScheduler;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
public final class CrossValidatedSearch implements TaskRunner
{
    private final SearchSetup setup;
    private Model refitted;
    private int bestIndex = -1;

    private CrossValidatedSearch(final SearchSetup setup)
    {
        this.setup = setup;
    }

    public static SearchOutcome run(final SearchSetup setup, final Communicator world, final RankGroups groups,
        final SchedulingPolicy policy)
    {
        return run(setup, world, groups, policy, null);
    }

    /**
     * As {@link #run(SearchSetup, Communicator, RankGroups, SchedulingPolicy)}, keeping finished fits in
     * {@code journal} (world rank 0; may be null) and stopping at a wave boundary when the setup's hooks
     * ask to, with {@link io.slipstream.trainer.tasks.SearchStoppedException}.
     */
    public static SearchOutcome run(final SearchSetup setup, final Communicator world, final RankGroups groups,
        final SchedulingPolicy policy, final TaskJournal journal)
    {
        final int settings = setup.settings().size();
        final int folds = setup.folds().length;
        double refitCost = 0;
        for (final double c : setup.fitCost())
        {
            refitCost = Math.max(refitCost, c);
        }
        final TaskGraph graph = TaskGraph.forSearch(settings, folds, setup.fitCost(), setup.fitPriority(), refitCost);
        final CrossValidatedSearch runner = new CrossValidatedSearch(setup);
        final WaveScheduler.Outcome outcome = new WaveScheduler(world, groups, policy, setup.hooks(), journal)
            .run(graph, runner);
        final TaskResults results = outcome.results();

        final double[][] scores = new double[settings][folds];
        final double[][] fitSeconds = new double[settings][folds];
        final double[][] scoreSeconds = new double[settings][folds];
        for (int s = 0; s < settings; s++)
        {
            for (int f = 0; f < folds; f++)
            {
                final double[] r = doubles(results.get(s * folds + f));
                scores[s][f] = r[0];
                fitSeconds[s][f] = r[1];
                scoreSeconds[s][f] = r[2];
            }
        }
        final CvTable table = new CvTable(setup.settings(), scores, fitSeconds, scoreSeconds);
        final int refitId = settings * folds + settings;
        final double[] refit = doubles(results.get(refitId));
        final Evaluation evaluation = Evaluation.decode(results.get(refitId + 1));
        final byte[] saved = results.get(refitId + 2);
        final String modelFile = saved.length == 0 ? null : new String(saved, StandardCharsets.UTF_8);
        return new SearchOutcome(table, (int)refit[0], evaluation.metrics, evaluation.confusion,
            evaluation.importances, modelFile, refit[1], outcome.waves(), outcome.restored());
    }

    /**
     * A fingerprint of everything that decides the fit results (family, settings, folds, seed, scorer and
     * the training rows), so a journal is only reused by the same job.
     */
    public static long fingerprint(final SearchSetup setup)
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
        final int folds = setup.folds().length;
        switch (task.kind())
        {
            case FIT_SCORE:
                return fitScore(task.setting(), task.fold(), group);
            case AGGREGATE:
            {
                final double[] scores = new double[folds];
                for (int f = 0; f < folds; f++)
                {
                    scores[f] = doubles(results.get(task.setting() * folds + f))[0];
                }
                return bytes(CvTable.mean(scores), CvTable.std(scores));
            }
            case REFIT:
                return refit(task, group, results);
            case EVALUATE:
                return evaluate(group);
            case SAVE:
                return save(group);
            default:
                throw new IllegalStateException("unknown task kind " + task.kind());
        }
    }

    private byte[] fitScore(final int s, final int f, final Communicator group)
    {
        final Fold fold = setup.folds()[f];
        final long start = System.nanoTime();
        final Model model = setup.family().fit(setup.train().subset(fold.train()), setup.settings().get(s),
            new FitContext(group, Seeds.derive(setup.seed(), s, f), setup.hooks()));
        final long fitted = System.nanoTime();
        final Dataset validation = setup.train().subset(fold.test());
        final double score = setup.scorer().score(model, validation);
        final long scored = System.nanoTime();
        return bytes(score, (fitted - start) / 1e9, (scored - fitted) / 1e9);
    }

    private byte[] refit(final Task task, final Communicator group, final TaskResults results)
    {
        // Best = highest mean; the first setting wins ties (as scikit-learn's rank 1 with the lowest index).
        int best = 0;
        double bestMean = Double.NEGATIVE_INFINITY;
        for (final int d : task.dependencies())
        {
            final double mean = doubles(results.get(d))[0];
            if (mean > bestMean)
            {
                bestMean = mean;
                best = d - setup.settings().size() * setup.folds().length;
            }
        }
        bestIndex = best;
        final long start = System.nanoTime();
        refitted = setup.family().fit(setup.train(), setup.settings().get(best),
            new FitContext(group, Seeds.derive(setup.seed(), best, setup.folds().length), setup.hooks()));
        return bytes(best, (System.nanoTime() - start) / 1e9);
    }

    private byte[] evaluate(final Communicator group)
    {
        final Map<String, Double> metrics = new LinkedHashMap<>();
        ConfusionMatrix confusion = null;
        final Dataset test = setup.test();
        if (setup.scorer().needsLabels())
        {
            confusion = Scorers.confusion(refitted, test);
            putClassification(metrics, "", new ClassificationMetrics(confusion));
        }
        else
        {
            if (refitted instanceof KMeansModel)
            {
                metrics.put("inertia", ((KMeansModel)refitted).inertia(test));
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
        if (refitted instanceof SelfTrainingModel)
        {
            metrics.put("pseudo_labeled", (double)((SelfTrainingModel)refitted).pseudoLabeled());
            metrics.put("self_training_iterations", (double)((SelfTrainingModel)refitted).iterations());
        }
        if (setup.baseline() != null)
        {
            final Dataset labeled = labeledOnly(setup.train());
            final Model baseline = setup.baseline().fit(setup.settings().get(bestIndex), labeled,
                new FitContext(group, Seeds.derive(setup.seed(), bestIndex, setup.folds().length), setup.hooks()));
            putClassification(metrics, "baseline_", new ClassificationMetrics(Scorers.confusion(baseline, test)));
        }
        final Map<String, Double> importances = new LinkedHashMap<>();
        final Model inner = refitted instanceof SelfTrainingModel ? ((SelfTrainingModel)refitted).base() : refitted;
        if (inner instanceof RandomForest)
        {
            final double[] values = ((RandomForest)inner).featureImportances();
            final String[] names = ((RandomForest)inner).featureNames();
            for (int f = 0; f < values.length; f++)
            {
                importances.put(names[f], values[f]);
            }
        }
        return new Evaluation(metrics, confusion, importances).encode();
    }

    private byte[] save(final Communicator group) throws IOException
    {
        if (setup.store() == null || group.rank() != 0)
        {
            return new byte[0];
        }
        return setup.store().save(refitted).getBytes(StandardCharsets.UTF_8);
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

    private static Dataset labeledOnly(final Dataset data)
    {
        int count = 0;
        for (int i = 0; i < data.size(); i++)
        {
            count += data.label(i) == Dataset.UNLABELED ? 0 : 1;
        }
        final int[] rows = new int[count];
        for (int i = 0, k = 0; i < data.size(); i++)
        {
            if (data.label(i) != Dataset.UNLABELED)
            {
                rows[k++] = i;
            }
        }
        return data.subset(rows);
    }

    private static byte[] bytes(final double... values)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(8 * values.length);
        for (final double v : values)
        {
            buffer.putDouble(v);
        }
        return buffer.array();
    }

    private static double[] doubles(final byte[] bytes)
    {
        final ByteBuffer buffer = ByteBuffer.wrap(bytes);
        final double[] values = new double[bytes.length / 8];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = buffer.getDouble();
        }
        return values;
    }

    /** Named test metrics, the confusion matrix (absent for clustering) and importances, as a task result. */
    private record Evaluation(Map<String, Double> metrics, ConfusionMatrix confusion, Map<String, Double> importances)
    {
        byte[] encode()
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes))
            {
                writeMap(out, metrics);
                writeMap(out, importances);
                out.writeInt(confusion == null ? 0 : confusion.numClasses());
                if (confusion != null)
                {
                    for (final long c : confusion.toLongArray())
                    {
                        out.writeLong(c);
                    }
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            return bytes.toByteArray();
        }

        static Evaluation decode(final byte[] bytes)
        {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes)))
            {
                final Map<String, Double> metrics = readMap(in);
                final Map<String, Double> importances = readMap(in);
                final int classes = in.readInt();
                ConfusionMatrix confusion = null;
                if (classes > 0)
                {
                    final long[] counts = new long[classes * classes];
                    for (int i = 0; i < counts.length; i++)
                    {
                        counts[i] = in.readLong();
                    }
                    confusion = ConfusionMatrix.fromLongArray(classes, counts);
                }
                return new Evaluation(metrics, confusion, importances);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("evaluation result is corrupt", ex);
            }
        }

        private static void writeMap(final DataOutputStream out, final Map<String, Double> map) throws IOException
        {
            out.writeInt(map.size());
            for (final Map.Entry<String, Double> e : map.entrySet())
            {
                out.writeUTF(e.getKey());
                out.writeDouble(e.getValue());
            }
        }

        private static Map<String, Double> readMap(final DataInputStream in) throws IOException
        {
            final Map<String, Double> map = new LinkedHashMap<>();
            final int n = in.readInt();
            for (int i = 0; i < n; i++)
            {
                map.put(in.readUTF(), in.readDouble());
            }
            return map;
        }
    }
}
