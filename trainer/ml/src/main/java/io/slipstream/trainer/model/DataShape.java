package io.slipstream.trainer.model;

import io.slipstream.trainer.data.Dataset;

/**
 * The size of the data a setting is validated against: rows (an upper bound: a fold trains on fewer), features and
 * classes (0 without a label column).
 */
public record DataShape(int rows, int features, int classes)
{
    public DataShape
    {
        if (rows < 0 || features < 0 || classes < 0)
        {
            throw new IllegalArgumentException("a data shape counts rows, features and classes from 0, got " +
                rows + " x " + features + ", " + classes + " classes");
        }
    }

    public static DataShape of(final Dataset data)
    {
        return new DataShape(data.size(), data.numFeatures(), data.numClasses());
    }
}
