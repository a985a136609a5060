package io.slipstream.trainer.metrics;

import java.util.Arrays;

/**
 * Counts of (actual, predicted) class pairs. Row = actual class, column = predicted class. Backed by one
 * flat {@code long[]} so ranks can allreduce their partial matrices with a SUM and {@link #addCounts} the result.
 */
public final class ConfusionMatrix
{
    private final int numClasses;
    private final long[] counts;

    public ConfusionMatrix(final int numClasses)
    {
        if (numClasses < 1)
        {
            throw new IllegalArgumentException("numClasses must be at least 1, got " + numClasses);
        }
        this.numClasses = numClasses;
        this.counts = new long[numClasses * numClasses];
    }

    /** A matrix from a flat row-major {@code numClasses * numClasses} array such as {@link #toLongArray()}. */
    public static ConfusionMatrix fromLongArray(final int numClasses, final long[] flat)
    {
        final ConfusionMatrix m = new ConfusionMatrix(numClasses);
        m.addCounts(flat);
        return m;
    }

    /** The matrix of {@code actual} against {@code predicted}, element by element. */
    public static ConfusionMatrix of(final int numClasses, final int[] actual, final int[] predicted)
    {
        if (actual.length != predicted.length)
        {
            throw new IllegalArgumentException(
                "actual has " + actual.length + " labels but predicted has " + predicted.length);
        }
        final ConfusionMatrix m = new ConfusionMatrix(numClasses);
        for (int i = 0; i < actual.length; i++)
        {
            m.add(actual[i], predicted[i]);
        }
        return m;
    }

    public int numClasses()
    {
        return numClasses;
    }

    public void add(final int actual, final int predicted)
    {
        if (actual < 0 || actual >= numClasses || predicted < 0 || predicted >= numClasses)
        {
            throw new IllegalArgumentException("class pair (" + actual + ", " + predicted +
                ") is outside 0.." + (numClasses - 1));
        }
        counts[actual * numClasses + predicted]++;
    }

    public long count(final int actual, final int predicted)
    {
        return counts[actual * numClasses + predicted];
    }

    /** Adds another matrix of the same shape into this one. */
    public void merge(final ConfusionMatrix other)
    {
        if (other.numClasses != numClasses)
        {
            throw new IllegalArgumentException(
                "cannot merge a " + other.numClasses + "-class matrix into a " + numClasses + "-class one");
        }
        addCounts(other.counts);
    }

    /** Adds a flat row-major array of counts (e.g. the result of an allreduce) into this matrix. */
    public void addCounts(final long[] flat)
    {
        if (flat.length != counts.length)
        {
            throw new IllegalArgumentException("expected " + counts.length + " counts for " + numClasses +
                " classes, got " + flat.length);
        }
        for (int i = 0; i < flat.length; i++)
        {
            counts[i] += flat[i];
        }
    }

    /** A copy of the counts, row-major, ready for an allreduce. */
    public long[] toLongArray()
    {
        return counts.clone();
    }

    public long total()
    {
        long sum = 0;
        for (final long c : counts)
        {
            sum += c;
        }
        return sum;
    }

    /** Number of rows whose actual class is {@code c}. */
    public long support(final int c)
    {
        long sum = 0;
        for (int p = 0; p < numClasses; p++)
        {
            sum += counts[c * numClasses + p];
        }
        return sum;
    }

    /** Number of rows predicted as class {@code c}. */
    public long predictedCount(final int c)
    {
        long sum = 0;
        for (int a = 0; a < numClasses; a++)
        {
            sum += counts[a * numClasses + c];
        }
        return sum;
    }

    /** Rows of the matrix as a new {@code long[actual][predicted]}. */
    public long[][] toRows()
    {
        final long[][] rows = new long[numClasses][];
        for (int a = 0; a < numClasses; a++)
        {
            rows[a] = Arrays.copyOfRange(counts, a * numClasses, (a + 1) * numClasses);
        }
        return rows;
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof ConfusionMatrix && ((ConfusionMatrix)o).numClasses == numClasses &&
            Arrays.equals(((ConfusionMatrix)o).counts, counts);
    }

    @Override
    public int hashCode()
    {
        return 31 * numClasses + Arrays.hashCode(counts);
    }

    @Override
    public String toString()
    {
        return Arrays.deepToString(toRows());
    }
}
