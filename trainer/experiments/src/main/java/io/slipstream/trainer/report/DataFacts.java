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

    /**
     * The facts of the rows of {@code train} and {@code test} (a split of one file, or a training and a test file
     * whose labels are numbered alike); counts per class over both.
     */
    public static DataFacts of(final Dataset train, final Dataset test)
    {
        final long[] counts = new long[train.numClasses()];
        long unlabeled = 0;
        for (final Dataset part : new Dataset[]{train, test})
        {
            for (int i = 0; i < part.size(); i++)
            {
                if (part.label(i) == Dataset.UNLABELED)
                {
                    unlabeled++;
                }
                else
                {
                    counts[part.label(i)]++;
                }
            }
        }
        return new DataFacts(train.size() + test.size(), train.size(), test.size(), train.featureNames(),
            train.classNames(), counts, unlabeled);
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
