package io.slipstream.trainer.cluster;

import io.slipstream.trainer.onnx.OnnxAttribute;
import io.slipstream.trainer.onnx.OnnxGraph;
import io.slipstream.trainer.onnx.OnnxModel;

/**
 * K-means as its distance graph in standard ONNX operators (opset {@value #OPSET}): the input rows are reshaped to
 * [N, 1, F], the centroids [1, K, F] subtracted ({@code Sub} broadcasts to [N, K, F]), the differences squared
 * ({@code Mul}) and summed over the features ({@code ReduceSum}) into the squared distances [N, K]; {@code ArgMin}
 * over the clusters is the label, the first nearest centroid on ties as {@link KMeansModel#predict}. Differences
 * are taken directly rather than through the expansion |x|^2 - 2 x.c + |c|^2, which loses precision in float32.
 */
final class KMeansOnnx
{
    static final long OPSET = 13;
    static final String INPUT = "features";
    static final String LABEL = "label";
    static final String DISTANCES = "squared_distances";

    private KMeansOnnx()
    {
    }

    static OnnxModel model(final KMeansModel model)
    {
        final int k = model.clusters();
        final int features = model.centroid(0).length;
        final float[] centroids = new float[k * features];
        for (int c = 0; c < k; c++)
        {
            final double[] centroid = model.centroid(c);
            for (int f = 0; f < features; f++)
            {
                centroids[c * features + f] = (float)centroid[f];
            }
        }
        final OnnxGraph graph = new OnnxGraph("slipstream_kmeans")
            .input(INPUT, OnnxGraph.FLOAT, OnnxGraph.BATCH, features)
            .initializer("centroids", centroids, 1, k, features)
            .initializer("row_shape", new long[]{-1, 1, features}, 3)
            .initializer("feature_axis", new long[]{2}, 1)
            .node("Reshape", "", new String[]{INPUT, "row_shape"}, new String[]{"rows"})
            .node("Sub", "", new String[]{"rows", "centroids"}, new String[]{"differences"})
            .node("Mul", "", new String[]{"differences", "differences"}, new String[]{"squares"})
            .node("ReduceSum", "", new String[]{"squares", "feature_axis"}, new String[]{DISTANCES},
                OnnxAttribute.of("keepdims", 0L))
            .node("ArgMin", "", new String[]{DISTANCES}, new String[]{LABEL},
                OnnxAttribute.of("axis", 1L), OnnxAttribute.of("keepdims", 0L))
            .output(LABEL, OnnxGraph.INT64, OnnxGraph.BATCH)
            .output(DISTANCES, OnnxGraph.FLOAT, OnnxGraph.BATCH, k);
        return new OnnxModel(graph, "Slipstream k-means with " + k + " clusters on " + features + " features. " +
            "Input '" + INPUT + "': float [N, " + features + "] in the training column order. Outputs '" + LABEL +
            "': int64 [N], the nearest centroid; '" + DISTANCES + "': float [N, " + k + "], the squared Euclidean " +
            "distance to each centroid.")
            .opset("", OPSET)
            .metadata("slipstream_family", KMeansFamily.NAME);
    }
}
