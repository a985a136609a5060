package io.slipstream.trainer.cv;

import io.slipstream.trainer.cluster.KMeansModel;
import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.metrics.ClassificationMetrics;
import io.slipstream.trainer.metrics.ConfusionMatrix;
import io.slipstream.trainer.metrics.Silhouette;
import io.slipstream.trainer.model.Model;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The selection metrics a job spec may name: {@code accuracy}, {@code precision_macro},
 * {@code recall_macro}, {@code f1_macro}, {@code f1_weighted} (classification, labeled rows only),
 * {@code silhouette} (of the predicted clusters) and {@code neg_inertia} (k-means).
 */
public final class Scorers
{
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
                return new Scorer()
                {
                    @Override
                    public String name()
                    {
                        return name;
                    }

                    @Override
                    public boolean needsLabels()
                    {
                        return false;
                    }

                    @Override
                    public double score(final Model model, final Dataset data)
                    {
                        return silhouette(model, data);
                    }
                };
            case "neg_inertia":
                return new Scorer()
                {
                    @Override
                    public String name()
                    {
                        return name;
                    }

                    @Override
                    public boolean needsLabels()
                    {
                        return false;
                    }

                    @Override
                    public double score(final Model model, final Dataset data)
                    {
                        if (!(model instanceof KMeansModel))
                        {
                            throw new IllegalArgumentException("neg_inertia scores k-means models only");
                        }
                        return -((KMeansModel)model).inertia(data);
                    }
                };
            default:
                throw new IllegalArgumentException("unknown metric '" + name + "'; use one of " + String.join(", ", NAMES));
        }
    }

    /** The confusion matrix of {@code model} on the labeled rows of {@code data}. */
    public static ConfusionMatrix confusion(final Model model, final Dataset data)
    {
        final int[] predicted = model.predict(data);
        final ConfusionMatrix m = new ConfusionMatrix(data.numClasses());
        for (int i = 0; i < predicted.length; i++)
        {
            if (data.label(i) != Dataset.UNLABELED)
            {
                m.add(data.label(i), predicted[i]);
            }
        }
        return m;
    }

    /** Silhouette of the model's predicted clusters on {@code data}; 0 when fewer than 2 clusters are used. */
    public static double silhouette(final Model model, final Dataset data)
    {
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

    private static Scorer classification(final String name, final ToDoubleFunction<ClassificationMetrics> metric)
    {
        return new Scorer()
        {
            @Override
            public String name()
            {
                return name;
            }

            @Override
            public boolean needsLabels()
            {
                return true;
            }

            @Override
            public double score(final Model model, final Dataset data)
            {
                return metric.applyAsDouble(new ClassificationMetrics(confusion(model, data)));
            }
        };
    }
}
