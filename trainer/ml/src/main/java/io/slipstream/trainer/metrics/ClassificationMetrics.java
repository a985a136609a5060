package io.slipstream.trainer.metrics;

/**
 * Accuracy, precision, recall and F1 from a confusion matrix, with scikit-learn's definitions and
 * {@code zero_division=0}: a ratio whose denominator is zero is 0.
 *
 * <p>Like scikit-learn without an explicit {@code labels} argument, the macro, micro and weighted averages
 * run over the classes that occur among the actual or the predicted labels; a class that never occurs in
 * either is left out rather than averaged in as a zero.
 */
public final class ClassificationMetrics
{
    private final int numClasses;
    private final long total;
    private final long correct;
    private final long[] support;
    private final long[] truePositives;
    private final long[] predicted;
    private final double[] precision;
    private final double[] recall;
    private final double[] f1;
    private final boolean[] present;

    public ClassificationMetrics(final ConfusionMatrix matrix)
    {
        numClasses = matrix.numClasses();
        total = matrix.total();
        support = new long[numClasses];
        truePositives = new long[numClasses];
        predicted = new long[numClasses];
        precision = new double[numClasses];
        recall = new double[numClasses];
        f1 = new double[numClasses];
        present = new boolean[numClasses];
        long diagonal = 0;
        for (int c = 0; c < numClasses; c++)
        {
            truePositives[c] = matrix.count(c, c);
            support[c] = matrix.support(c);
            predicted[c] = matrix.predictedCount(c);
            diagonal += truePositives[c];
            precision[c] = ratio(truePositives[c], predicted[c]);
            recall[c] = ratio(truePositives[c], support[c]);
            f1[c] = ratio(2 * truePositives[c], support[c] + predicted[c]);
            present[c] = support[c] > 0 || predicted[c] > 0;
        }
        correct = diagonal;
    }

    public int numClasses()
    {
        return numClasses;
    }

    public long total()
    {
        return total;
    }

    public double accuracy()
    {
        return ratio(correct, total);
    }

    public double precision(final int c)
    {
        return precision[c];
    }

    public double recall(final int c)
    {
        return recall[c];
    }

    public double f1(final int c)
    {
        return f1[c];
    }

    public long support(final int c)
    {
        return support[c];
    }

    public double precisionMacro()
    {
        return macro(precision);
    }

    public double recallMacro()
    {
        return macro(recall);
    }

    public double f1Macro()
    {
        return macro(f1);
    }

    public double precisionWeighted()
    {
        return weighted(precision);
    }

    public double recallWeighted()
    {
        return weighted(recall);
    }

    public double f1Weighted()
    {
        return weighted(f1);
    }

    /** Micro precision: all true positives over all predictions of present classes. */
    public double precisionMicro()
    {
        return ratio(sumPresent(truePositives), sumPresent(predicted));
    }

    public double recallMicro()
    {
        return ratio(sumPresent(truePositives), sumPresent(support));
    }

    public double f1Micro()
    {
        final long tp = sumPresent(truePositives);
        return ratio(2 * tp, sumPresent(support) + sumPresent(predicted));
    }

    private double macro(final double[] perClass)
    {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < numClasses; c++)
        {
            if (present[c])
            {
                sum += perClass[c];
                n++;
            }
        }
        return n == 0 ? 0.0 : sum / n;
    }

    private double weighted(final double[] perClass)
    {
        double sum = 0;
        long weight = 0;
        for (int c = 0; c < numClasses; c++)
        {
            sum += perClass[c] * support[c];
            weight += support[c];
        }
        return weight == 0 ? 0.0 : sum / weight;
    }

    private long sumPresent(final long[] values)
    {
        long sum = 0;
        for (int c = 0; c < numClasses; c++)
        {
            if (present[c])
            {
                sum += values[c];
            }
        }
        return sum;
    }

    private static double ratio(final long numerator, final long denominator)
    {
        return denominator == 0 ? 0.0 : (double)numerator / denominator;
    }
}
