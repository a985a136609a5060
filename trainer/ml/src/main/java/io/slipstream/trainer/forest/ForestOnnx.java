package io.slipstream.trainer.forest;

import io.slipstream.trainer.onnx.Float32Thresholds;
import io.slipstream.trainer.onnx.OnnxAttribute;
import io.slipstream.trainer.onnx.OnnxGraph;
import io.slipstream.trainer.onnx.OnnxModel;
import io.slipstream.trainer.tree.DecisionTree;

/**
 * A forest as an ONNX-ML graph: one {@code TreeEnsembleClassifier} (ai.onnx.ml opset 3) whose every tree node is a
 * {@code BRANCH_LEQ} split or a {@code LEAF}, then an {@code ArgMax} over the class scores.
 *
 * <p>Each leaf votes {@code fraction / trees} for every class (zeros included), so with {@code post_transform=NONE}
 * the summed scores are the forest's averaged class probabilities, {@link RandomForest#predictProba}'s. The label is
 * the {@code ArgMax} of those probabilities (first maximum on ties, as {@link RandomForest#predict}), not the
 * ensemble's own label output: for two classes ONNX Runtime reads that output as a margin's sign, not an argmax.
 * Thresholds follow {@link Float32Thresholds#lessOrEqual}.
 */
final class ForestOnnx
{
    /** Operator-set versions the graph is written for. */
    static final long OPSET = 13;
    static final long ML_OPSET = 3;
    static final String INPUT = "features";
    static final String LABEL = "label";
    static final String PROBABILITIES = "probabilities";
    /** More leaf votes than this cannot fit in an ONNX file's 2 GiB (each takes at least 4 bytes). */
    private static final long MAX_ENTRIES = (Integer.MAX_VALUE - 8) / 4;

    private ForestOnnx()
    {
    }

    static OnnxModel model(final RandomForest forest)
    {
        final int classes = forest.numClasses();
        final String[] featureNames = forest.featureNames();
        if (classes < 2)
        {
            throw new IllegalArgumentException("ONNX export needs a forest of two or more classes but this one has " +
                classes + "; fit it on data with two or more classes");
        }
        long nodeTotal = 0;
        long voteTotal = 0;
        for (int t = 0; t < forest.treeCount(); t++)
        {
            nodeTotal += forest.tree(t).nodeCount();
            voteTotal += (long)forest.tree(t).leafCount() * classes;
        }
        if (voteTotal > MAX_ENTRIES)
        {
            throw new IllegalArgumentException("this forest has " + nodeTotal + " nodes and " + voteTotal +
                " leaf votes, too many for an ONNX file (2 GiB at most); export fewer or shallower trees " +
                "(n_estimators, max_depth, min_samples_leaf)");
        }
        final int nodes = (int)nodeTotal;
        final int leaves = (int)(voteTotal / classes);
        final long[] treeIds = new long[nodes];
        final long[] nodeIds = new long[nodes];
        final long[] featureIds = new long[nodes];
        final String[] modes = new String[nodes];
        final float[] values = new float[nodes];
        final long[] trueIds = new long[nodes];
        final long[] falseIds = new long[nodes];
        final long[] classTree = new long[leaves * classes];
        final long[] classNode = new long[leaves * classes];
        final long[] classIds = new long[leaves * classes];
        final float[] classWeights = new float[leaves * classes];
        final double scale = 1.0 / forest.treeCount();
        int n = 0;
        int w = 0;
        for (int t = 0; t < forest.treeCount(); t++)
        {
            final DecisionTree tree = forest.tree(t);
            for (int node = 0; node < tree.nodeCount(); node++, n++)
            {
                treeIds[n] = t;
                nodeIds[n] = node;
                if (tree.isLeaf(node))
                {
                    modes[n] = "LEAF";
                    for (int c = 0; c < classes; c++, w++)
                    {
                        classTree[w] = t;
                        classNode[w] = node;
                        classIds[w] = c;
                        classWeights[w] = (float)(tree.fraction(node, c) * scale);
                    }
                }
                else
                {
                    modes[n] = "BRANCH_LEQ";
                    featureIds[n] = tree.feature(node);
                    values[n] = Float32Thresholds.lessOrEqual(tree.threshold(node));
                    trueIds[n] = tree.left(node);
                    falseIds[n] = tree.right(node);
                }
            }
        }
        final long[] labels = new long[classes];
        for (int c = 0; c < classes; c++)
        {
            labels[c] = c;
        }
        final OnnxGraph graph = new OnnxGraph("slipstream_random_forest")
            .input(INPUT, OnnxGraph.FLOAT, OnnxGraph.BATCH, featureNames.length)
            .node("TreeEnsembleClassifier", "ai.onnx.ml", new String[]{INPUT},
                new String[]{"ensemble_label", PROBABILITIES},
                OnnxAttribute.ints("class_ids", classIds),
                OnnxAttribute.ints("class_nodeids", classNode),
                OnnxAttribute.ints("class_treeids", classTree),
                OnnxAttribute.floats("class_weights", classWeights),
                OnnxAttribute.ints("classlabels_int64s", labels),
                OnnxAttribute.ints("nodes_falsenodeids", falseIds),
                OnnxAttribute.ints("nodes_featureids", featureIds),
                OnnxAttribute.strings("nodes_modes", modes),
                OnnxAttribute.ints("nodes_nodeids", nodeIds),
                OnnxAttribute.ints("nodes_treeids", treeIds),
                OnnxAttribute.ints("nodes_truenodeids", trueIds),
                OnnxAttribute.floats("nodes_values", values),
                OnnxAttribute.of("post_transform", "NONE"))
            .node("ArgMax", "", new String[]{PROBABILITIES}, new String[]{LABEL},
                OnnxAttribute.of("axis", 1L), OnnxAttribute.of("keepdims", 0L))
            .output(LABEL, OnnxGraph.INT64, OnnxGraph.BATCH)
            .output(PROBABILITIES, OnnxGraph.FLOAT, OnnxGraph.BATCH, classes);
        return new OnnxModel(graph, "Slipstream random forest of " + forest.treeCount() + " trees on " +
            featureNames.length + " features and " + classes + " classes. Input '" + INPUT + "': float [N, " +
            featureNames.length + "] in the training column order (metadata feature_names). Outputs '" + LABEL +
            "': int64 [N], the class index (metadata class_names); '" + PROBABILITIES + "': float [N, " + classes +
            "], the mean of the trees' leaf class fractions.")
            .opset("", OPSET)
            .opset("ai.onnx.ml", ML_OPSET)
            .metadata("slipstream_family", RandomForestFamily.NAME)
            .metadata("feature_names", OnnxModel.jsonStrings(featureNames))
            .metadata("class_names", OnnxModel.jsonStrings(forest.classNames()));
    }
}
