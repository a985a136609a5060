package io.slipstream.trainer.cluster;

import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.metrics.Silhouette;
import io.slipstream.trainer.model.Clusterer;
import io.slipstream.trainer.onnx.OnnxExportable;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fitted k-means: the centroids, the training inertia and the number of Lloyd iterations. A row's
 * prediction is its nearest centroid (the lowest index on ties); k-means assigns hard clusters, so it offers no
 * class probabilities.
 *
 * <p>File format ({@value #FILE_NAME}, big-endian): magic {@code SSKM}, {@code int version} (1),
 * {@code int k}, {@code int features}, {@code int iterations}, {@code double inertia}, then k * features
 * doubles of centroids, row-major. This file is Slipstream's own cache of the model, read back by {@link #load};
 * {@link #writeOnnx} writes the portable ONNX form other tools load.
 */
public final class KMeansModel implements Clusterer, OnnxExportable
{
    public static final String FILE_NAME = "kmeans.sskm";
    private static final int MAGIC = 0x53534B4D;
    private static final int VERSION = 1;

    private final double[][] centroids;
    private final double inertia;
    private final int iterations;

    public KMeansModel(final double[][] centroids, final double inertia, final int iterations)
    {
        this.centroids = centroids;
        this.inertia = inertia;
        this.iterations = iterations;
    }

    public int clusters()
    {
        return centroids.length;
    }

    public double[] centroid(final int c)
    {
        return centroids[c].clone();
    }

    /** Sum of squared distances of the training rows to their centroids. */
    public double inertia()
    {
        return inertia;
    }

    public int iterations()
    {
        return iterations;
    }

    public int nearest(final double[] row)
    {
        return nearest(centroids, row);
    }

    static int nearest(final double[][] centroids, final double[] row)
    {
        int best = 0;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int c = 0; c < centroids.length; c++)
        {
            final double d = Silhouette.squaredDistance(row, centroids[c]);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = c;
            }
        }
        return best;
    }

    /** Sum of squared distances of {@code data}'s rows to their nearest centroids. */
    @Override
    public double inertia(final Dataset data)
    {
        checkShape(data);
        double sum = 0;
        for (int i = 0; i < data.size(); i++)
        {
            final double[] row = data.row(i);
            sum += Silhouette.squaredDistance(row, centroids[nearest(row)]);
        }
        return sum;
    }

    @Override
    public int[] predict(final Dataset data)
    {
        checkShape(data);
        final int[] out = new int[data.size()];
        for (int i = 0; i < out.length; i++)
        {
            out[i] = nearest(data.row(i));
        }
        return out;
    }

    private void checkShape(final Dataset data)
    {
        if (data.numFeatures() != centroids[0].length)
        {
            throw new IllegalArgumentException("this k-means model was fitted on " + centroids[0].length +
                " features but the data has " + data.numFeatures() + "; use data with the training columns");
        }
    }

    @Override
    public String fileName()
    {
        return FILE_NAME;
    }

    @Override
    public void writeTo(final OutputStream stream) throws IOException
    {
        final DataOutputStream out = new DataOutputStream(stream);
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(centroids.length);
        out.writeInt(centroids[0].length);
        out.writeInt(iterations);
        out.writeDouble(inertia);
        for (final double[] c : centroids)
        {
            for (final double v : c)
            {
                out.writeDouble(v);
            }
        }
        out.flush();
    }

    /**
     * Writes this model as an ONNX distance graph: input {@code features} (float [N, features]), outputs
     * {@code label} (int64 [N], the nearest centroid as {@link #predict}) and {@code squared_distances} (float
     * [N, clusters]), computed in float32 from the centroids rounded to float32.
     */
    @Override
    public void writeOnnx(final OutputStream out) throws IOException
    {
        KMeansOnnx.model(this).writeTo(out);
    }

    public static KMeansModel load(final Path file) throws IOException
    {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file))))
        {
            if (in.readInt() != MAGIC || in.readInt() != VERSION)
            {
                throw new IOException(file + " is not a version " + VERSION + " Slipstream k-means model");
            }
            final int k = in.readInt();
            final int features = in.readInt();
            final int iterations = in.readInt();
            final double inertia = in.readDouble();
            final double[][] centroids = new double[k][features];
            for (int c = 0; c < k; c++)
            {
                for (int f = 0; f < features; f++)
                {
                    centroids[c][f] = in.readDouble();
                }
            }
            return new KMeansModel(centroids, inertia, iterations);
        }
    }
}
