package io.slipstream.trainer.cv;

import io.slipstream.comm.Communicator;
import io.slipstream.trainer.cluster.KMeansModel;
import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.data.Fold;
import io.slipstream.trainer.data.Seeds;
import io.slipstream.trainer.metrics.ClassificationMetrics;
import io.slipstream.trainer.metrics.ConfusionMatrix;
import io.slipstream.trainer.model.FitContext;
import io.slipstream.trainer.model.Model;
import io.slipstream.trainer.semi.SelfTrainingModel;
import io.slipstream.trainer.tasks.RankGroups;
import io.slipstream.trainer.tasks.SchedulingPolicy;
import io.slipstream.trainer.tasks.Task;
import io.slipstream.trainer.tasks.TaskGraph;
import io.slipstream.trainer.tasks.TaskResults;
import io.slipstream.trainer.tasks.TaskRunner;
import io.slipstream.trainer.tasks.WaveScheduler;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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

    public CrossValidatedSearch(final SearchSetup setup)
    {
        this.setup = setup;
    }

    public static SearchOutcome run(final SearchSetup setup, final Communicator world, final RankGroups groups,
        final SchedulingPolicy policy)
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
        final WaveScheduler.Outcome outcome = new WaveScheduler(world, groups, policy).run(graph, runner);
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
        return new SearchOutcome(table, (int)refit[0], evaluation.metrics, evaluation.confusion,
            saved.length == 0 ? null : new String(saved, StandardCharsets.UTF_8), refit[1], outcome.waves());
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
        return new Evaluation(metrics, confusion).encode();
    }

    private byte[] save(final Communicator group) throws IOException
    {
        if (setup.saveDir() == null)
        {
            return new byte[0];
        }
        if (group.rank() != 0)
        {
            return new byte[0];
        }
        return refitted.save(setup.saveDir()).toString().getBytes(StandardCharsets.UTF_8);
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
        final java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(8 * values.length);
        for (final double v : values)
        {
            buffer.putDouble(v);
        }
        return buffer.array();
    }

    private static double[] doubles(final byte[] bytes)
    {
        final java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
        final double[] values = new double[bytes.length / 8];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = buffer.getDouble();
        }
        return values;
    }

    /** Named test metrics and the confusion matrix (absent for clustering), as a task result. */
    private record Evaluation(Map<String, Double> metrics, ConfusionMatrix confusion)
    {
        byte[] encode()
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes))
            {
                out.writeInt(metrics.size());
                for (final Map.Entry<String, Double> e : metrics.entrySet())
                {
                    out.writeUTF(e.getKey());
                    out.writeDouble(e.getValue());
                }
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
                final Map<String, Double> metrics = new LinkedHashMap<>();
                final int n = in.readInt();
                for (int i = 0; i < n; i++)
                {
                    metrics.put(in.readUTF(), in.readDouble());
                }
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
                return new Evaluation(metrics, confusion);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("evaluation result is corrupt", ex);
            }
        }
    }
}
