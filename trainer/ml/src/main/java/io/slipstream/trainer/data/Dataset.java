package io.slipstream.trainer.data;

import java.util.Arrays;

/**
 * A table of numeric features with integer class labels (0..numClasses-1, or {@link #UNLABELED}).
 * Rows are immutable once built; {@link #subset(int[])} copies the selected rows' references.
 */
public final class Dataset
{
    public static final int UNLABELED = -1;

    private final double[][] features;
    private final int[] labels;
    private final String[] featureNames;
    private final String[] classNames;

    public Dataset(final double[][] features, final int[] labels, final String[] featureNames, final String[] classNames)
    {
        if (features.length != labels.length)
        {
            throw new IllegalArgumentException(
                "features has " + features.length + " rows but labels has " + labels.length);
        }
        for (int i = 0; i < features.length; i++)
        {
            if (features[i].length != featureNames.length)
            {
                throw new IllegalArgumentException("row " + i + " has " + features[i].length +
                    " features, expected " + featureNames.length);
            }
            if (labels[i] < UNLABELED || labels[i] >= classNames.length)
            {
                throw new IllegalArgumentException("row " + i + " has label " + labels[i] +
                    ", expected 0.." + (classNames.length - 1) + " or " + UNLABELED);
            }
        }
        this.features = features;
        this.labels = labels;
        this.featureNames = featureNames.clone();
        this.classNames = classNames.clone();
    }

    public int size()
    {
        return labels.length;
    }

    public int numFeatures()
    {
        return featureNames.length;
    }

    public int numClasses()
    {
        return classNames.length;
    }

    /** Row i's features; callers must not modify it. */
    public double[] row(final int i)
    {
        return features[i];
    }

    public double feature(final int i, final int f)
    {
        return features[i][f];
    }

    public int label(final int i)
    {
        return labels[i];
    }

    public String[] featureNames()
    {
        return featureNames.clone();
    }

    public String[] classNames()
    {
        return classNames.clone();
    }

    public Dataset subset(final int[] rows)
    {
        final double[][] x = new double[rows.length][];
        final int[] y = new int[rows.length];
        for (int i = 0; i < rows.length; i++)
        {
            x[i] = features[rows[i]];
            y[i] = labels[rows[i]];
        }
        return new Dataset(x, y, featureNames, classNames);
    }

    /** The rows that carry a label, in order; this data set itself when every row does. */
    public Dataset labeledRows()
    {
        int count = 0;
        for (final int y : labels)
        {
            count += y == UNLABELED ? 0 : 1;
        }
        if (count == labels.length)
        {
            return this;
        }
        final int[] rows = new int[count];
        for (int i = 0, k = 0; i < labels.length; i++)
        {
            if (labels[i] != UNLABELED)
            {
                rows[k++] = i;
            }
        }
        return subset(rows);
    }

    /** The same rows with different labels (e.g. pseudo-labels in self-training). */
    public Dataset withLabels(final int[] newLabels)
    {
        return new Dataset(features, Arrays.copyOf(newLabels, newLabels.length), featureNames, classNames);
    }
}
