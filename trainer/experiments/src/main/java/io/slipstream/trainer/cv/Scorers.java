package io.slipstream.trainer.cv;

import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.data.Shuffle;
import io.slipstream.trainer.metrics.ClassificationMetrics;
import io.slipstream.trainer.metrics.ModelEvaluation;
import io.slipstream.trainer.metrics.Silhouette;
import io.slipstream.trainer.model.Clusterer;
import io.slipstream.trainer.model.Model;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleBiFunction;
import java.util.function.ToDoubleFunction;

/**
 * The selection metrics a job spec may name: {@code accuracy}, {@code precision_macro},
 * {@code recall_macro}, {@code f1_macro}, {@code f1_weighted} (classification, labeled rows only),
 * {@code silhouette} (of the predicted clusters, sampled on large sets) and {@code neg_inertia} (clusterers).
 */
public final class Scorers
{
    /** Rows the silhouette is computed on at most. */
    public static final int SILHOUETTE_SAMPLE = 4000;

    public static final List<String> NAMES =
        List.of("accuracy", "precision_macro", "recall_macro", "f1_macro", "f1_weighted", "silhouette", "neg_inertia");

    private Scorers()
    {
    }

    public static Scorer byName(final String name)
    {
        switch (name)
        {
            case "accuracy":
                return classification(name, ClassificationMetrics::accuracy);
            case "precision_macro":
                return classification(name, ClassificationMetrics::precisionMacro);
            case "recall_macro":
                return classification(name, ClassificationMetrics::recallMacro);
            case "f1_macro":
                return classification(name, ClassificationMetrics::f1Macro);
            case "f1_weighted":
                return classification(name, ClassificationMetrics::f1Weighted);
            case "silhouette":
                return new Named(name, false, Scorers::silhouette);
            case "neg_inertia":
                return new Named(name, false, Scorers::negativeInertia);
            default:
                throw new IllegalArgumentException("unknown metric '" + name + "'; use one of " +
                    String.join(", ", NAMES));
        }
    }

    /**
     * Silhouette of the model's predicted clusters on {@code data} (on a fixed-seed sample of
     * {@value #SILHOUETTE_SAMPLE} rows when there are more, since it is quadratic); 0 when fewer than 2
     * clusters are used.
     */
    public static double silhouette(final Model model, final Dataset data)
    {
        if (data.size() > SILHOUETTE_SAMPLE)
        {
            final int[] rows = new int[data.size()];
            for (int i = 0; i < rows.length; i++)
            {
                rows[i] = i;
            }
            Shuffle.partial(rows, SILHOUETTE_SAMPLE, new SplittableRandom(rows.length));
            final int[] sample = Arrays.copyOf(rows, SILHOUETTE_SAMPLE);
            Arrays.sort(sample);
            return silhouette(model, data.subset(sample));
        }
        final int[] predicted = model.predict(data);
        int clusters = 0;
        for (final int p : predicted)
        {
            clusters = Math.max(clusters, p + 1);
        }
        final boolean[] used = new boolean[clusters];
        int distinct = 0;
        for (final int p : predicted)
        {
            distinct += used[p] ? 0 : 1;
            used[p] = true;
        }
        if (distinct < 2 || distinct > data.size() - 1)
        {
            return 0.0;
        }
        final double[][] rows = new double[data.size()][];
        for (int i = 0; i < rows.length; i++)
        {
            rows[i] = data.row(i);
        }
        return Silhouette.score(rows, predicted, clusters);
    }

    private static double negativeInertia(final Model model, final Dataset data)
    {
        if (!(model instanceof Clusterer clusterer))
        {
            throw new IllegalArgumentException("neg_inertia scores clusterers only");
        }
        return -clusterer.inertia(data);
    }

    private static Scorer classification(final String name, final ToDoubleFunction<ClassificationMetrics> metric)
    {
        return new Named(name, true,
            (model, data) -> metric.applyAsDouble(new ClassificationMetrics(ModelEvaluation.confusion(model, data))));
    }

    private record Named(String name, boolean needsLabels, ToDoubleBiFunction<Model, Dataset> metric) implements Scorer
    {
        @Override
        public double score(final Model model, final Dataset data)
        {
            return metric.applyAsDouble(model, data);
        }
    }
}
