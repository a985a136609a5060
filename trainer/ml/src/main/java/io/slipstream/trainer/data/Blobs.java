package io.slipstream.trainer.data;

import java.util.SplittableRandom;

/**
 * Isotropic Gaussian blobs like scikit-learn's {@code make_blobs}: centers drawn uniformly in
 * [-10, 10) per feature, rows spread evenly over the centers (the first ones get one extra when it does
 * not divide), each feature offset by N(0, clusterStd). The label is the blob's index.
 */
public final class Blobs
{
    private Blobs()
    {
    }

    public static Dataset generate(
        final int samples, final int centers, final int features, final double clusterStd, final long seed)
    {
        if (samples < 1 || centers < 1 || features < 1 || !(clusterStd >= 0.0))
        {
            throw new DataException("blobs need samples >= 1, centers >= 1, features >= 1 and cluster_std >= 0; " +
                "got samples=" + samples + ", centers=" + centers + ", features=" + features +
                ", cluster_std=" + clusterStd);
        }
        final SplittableRandom random = new SplittableRandom(seed);
        final double[][] center = new double[centers][features];
        for (int c = 0; c < centers; c++)
        {
            for (int f = 0; f < features; f++)
            {
                center[c][f] = -10.0 + 20.0 * random.nextDouble();
            }
        }
        final double[][] x = new double[samples][];
        final int[] y = new int[samples];
        for (int i = 0; i < samples; i++)
        {
            final int c = i % centers;
            final double[] row = new double[features];
            for (int f = 0; f < features; f++)
            {
                row[f] = center[c][f] + clusterStd * random.nextGaussian();
            }
            x[i] = row;
            y[i] = c;
        }
        return new Dataset(x, y, names("x", features), names("blob", centers));
    }

    static String[] names(final String prefix, final int count)
    {
        final String[] names = new String[count];
        for (int i = 0; i < count; i++)
        {
            names[i] = prefix + i;
        }
        return names;
    }
}
