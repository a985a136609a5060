package io.slipstream.trainer.report;

import io.slipstream.trainer.data.Dataset;

/**
 * What the report says about the data: rows in all and in the train and test parts, the feature names, the class
 * names and how many rows of each class there are (the class balance), and the rows without a label.
 */
public record DataFacts(int rows, int trainRows, int testRows, String[] featureNames, String[] classNames,
    long[] classCounts, long unlabeled)
{
    public DataFacts
    {
        if (classCounts.length != classNames.length)
        {
            throw new IllegalArgumentException(classCounts.length + " class counts for " + classNames.length +
                " classes");
        }
        featureNames = featureNames.clone();
        classNames = classNames.clone();
        classCounts = classCounts.clone();
    }

    /** The facts of {@code all}, split into {@code train} and {@code test}; counts per class over {@code all}. */
    public static DataFacts of(final Dataset all, final Dataset train, final Dataset test)
    {
        final long[] counts = new long[all.numClasses()];
        long unlabeled = 0;
        for (int i = 0; i < all.size(); i++)
        {
            if (all.label(i) == Dataset.UNLABELED)
            {
                unlabeled++;
            }
            else
            {
                counts[all.label(i)]++;
            }
        }
        return new DataFacts(all.size(), train.size(), test.size(), all.featureNames(), all.classNames(), counts,
            unlabeled);
    }

    @Override
    public String[] featureNames()
    {
        return featureNames.clone();
    }

    @Override
    public String[] classNames()
    {
        return classNames.clone();
    }

    @Override
    public long[] classCounts()
    {
        return classCounts.clone();
    }
}
