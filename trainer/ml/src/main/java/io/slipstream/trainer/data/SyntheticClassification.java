package io.slipstream.trainer.data;

import java.util.SplittableRandom;

/**
 * A large classification set for benchmarks, in the spirit of scikit-learn's {@code make_classification}:
 * each class has a centroid on a vertex of a hypercube of side {@code 2 * classSep} in the informative
 * features, rows are that centroid plus N(0, 1) noise, and the remaining features are pure N(0, 1) noise.
 * Classes take turns (row i has class i mod classes) so every class is equally represented.
 */
public final class SyntheticClassification
{
    private SyntheticClassification()
    {
    }

    public static Dataset generate(final int samples, final int features, final int informative, final int classes,
        final double classSep, final long seed)
    {
        if (samples < classes || classes < 2 || informative < 1 || informative > features ||
            (informative < 31 && (1L << informative) < classes))
        {
            throw new DataException("classification set needs classes >= 2, samples >= classes, " +
                "1 <= informative <= features and 2^informative >= classes; got samples=" + samples +
                ", features=" + features + ", informative=" + informative + ", classes=" + classes);
        }
        final SplittableRandom random = new SplittableRandom(seed);
        final double[][] centroid = new double[classes][informative];
        final long vertices = informative < 62 ? 1L << informative : Long.MAX_VALUE;
        final long stride = Math.max(1, vertices / classes);
        for (int c = 0; c < classes; c++)
        {
            final long vertex = (c * stride + random.nextLong(stride)) % vertices;
            for (int f = 0; f < informative; f++)
            {
                centroid[c][f] = ((vertex >>> (f % 62)) & 1L) == 1L ? classSep : -classSep;
            }
        }
        final double[][] x = new double[samples][];
        final int[] y = new int[samples];
        for (int i = 0; i < samples; i++)
        {
            final int c = i % classes;
            final double[] row = new double[features];
            for (int f = 0; f < features; f++)
            {
                row[f] = (f < informative ? centroid[c][f] : 0.0) + random.nextGaussian();
            }
            x[i] = row;
            y[i] = c;
        }
        return new Dataset(x, y, Blobs.names("x", features), Blobs.names("class", classes));
    }
}
