package io.slipstream.trainer.tree;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A fitted CART classification tree in flat arrays. Nodes are numbered in depth-first pre-order, so a
 * split node's left child is always the next node; {@code right[node]} names the right child. A row goes
 * left when {@code row[feature] <= threshold}. Every node keeps its class fractions (weighted by bootstrap
 * counts) and its number of distinct training samples.
 *
 * <p>Encoding ({@link #encode}, big-endian): {@code int nodeCount}, then per node {@code int feature}
 * (-1 for a leaf), {@code int samples}, {@code double weight} (bootstrap-weighted samples),
 * {@code double impurity} (Gini), and for a split {@code double threshold, int right}, for a leaf
 * {@code numClasses} doubles of class fractions.
 */
public final class DecisionTree
{
    private final int numClasses;
    private final int nodeCount;
    private final int[] feature;
    private final double[] threshold;
    private final int[] right;
    private final int[] samples;
    private final double[] weight;
    private final double[] impurity;
    private final double[] value;

    DecisionTree(final int numClasses, final int nodeCount, final int[] feature, final double[] threshold,
        final int[] right, final int[] samples, final double[] weight, final double[] impurity, final double[] value)
    {
        this.numClasses = numClasses;
        this.nodeCount = nodeCount;
        this.feature = feature;
        this.threshold = threshold;
        this.right = right;
        this.samples = samples;
        this.weight = weight;
        this.impurity = impurity;
        this.value = value;
    }

    public int numClasses()
    {
        return numClasses;
    }

    public int nodeCount()
    {
        return nodeCount;
    }

    public boolean isLeaf(final int node)
    {
        return feature[node] < 0;
    }

    /** The split feature of a node, -1 for a leaf. */
    public int feature(final int node)
    {
        return feature[node];
    }

    public double threshold(final int node)
    {
        return threshold[node];
    }

    public int left(final int node)
    {
        return node + 1;
    }

    public int right(final int node)
    {
        return right[node];
    }

    /** Distinct training samples that reached the node. */
    public int samples(final int node)
    {
        return samples[node];
    }

    /** Bootstrap-weighted samples that reached the node. */
    public double weight(final int node)
    {
        return weight[node];
    }

    /** Gini impurity of the node's samples. */
    public double impurity(final int node)
    {
        return impurity[node];
    }

    /**
     * Adds this tree's normalised mean decrease in impurity per feature (scikit-learn's
     * {@code feature_importances_} of one tree) into {@code out}; a tree without splits adds nothing.
     */
    public void addImportances(final double[] out)
    {
        final double[] mine = new double[out.length];
        double total = 0;
        for (int node = 0; node < nodeCount; node++)
        {
            if (feature[node] >= 0)
            {
                final int l = node + 1;
                final int r = right[node];
                final double decrease = weight[node] * impurity[node] - weight[l] * impurity[l] -
                    weight[r] * impurity[r];
                mine[feature[node]] += decrease;
                total += decrease;
            }
        }
        if (total > 0)
        {
            for (int f = 0; f < out.length; f++)
            {
                out[f] += mine[f] / total;
            }
        }
    }

    /** Fraction of the node's (bootstrap-weighted) samples in class {@code c}. */
    public double fraction(final int node, final int c)
    {
        return value[node * numClasses + c];
    }

    /** The leaf {@code row} lands in. */
    public int leaf(final double[] row)
    {
        int node = 0;
        while (feature[node] >= 0)
        {
            node = row[feature[node]] <= threshold[node] ? node + 1 : right[node];
        }
        return node;
    }

    /** Adds the class fractions of {@code row}'s leaf into {@code out}. */
    public void addProba(final double[] row, final double[] out)
    {
        final int base = leaf(row) * numClasses;
        for (int c = 0; c < numClasses; c++)
        {
            out[c] += value[base + c];
        }
    }

    /** Length of the longest root-to-leaf path (a lone root has depth 0). */
    public int depth()
    {
        final int[] depthOf = new int[nodeCount];
        int max = 0;
        for (int node = 0; node < nodeCount; node++)
        {
            max = Math.max(max, depthOf[node]);
            if (feature[node] >= 0)
            {
                depthOf[node + 1] = depthOf[node] + 1;
                depthOf[right[node]] = depthOf[node] + 1;
            }
        }
        return max;
    }

    public int leafCount()
    {
        int leaves = 0;
        for (int node = 0; node < nodeCount; node++)
        {
            leaves += feature[node] < 0 ? 1 : 0;
        }
        return leaves;
    }

    public void encode(final DataOutput out) throws IOException
    {
        out.writeInt(nodeCount);
        for (int node = 0; node < nodeCount; node++)
        {
            out.writeInt(feature[node]);
            out.writeInt(samples[node]);
            out.writeDouble(weight[node]);
            out.writeDouble(impurity[node]);
            if (feature[node] >= 0)
            {
                out.writeDouble(threshold[node]);
                out.writeInt(right[node]);
            }
            else
            {
                for (int c = 0; c < numClasses; c++)
                {
                    out.writeDouble(value[node * numClasses + c]);
                }
            }
        }
    }

    public static DecisionTree decode(final DataInput in, final int numClasses, final int numFeatures)
        throws IOException
    {
        final int nodeCount = in.readInt();
        if (nodeCount < 1)
        {
            throw new IOException("tree has " + nodeCount + " nodes; the data is corrupt");
        }
        final int[] feature = new int[nodeCount];
        final double[] threshold = new double[nodeCount];
        final int[] right = new int[nodeCount];
        final int[] samples = new int[nodeCount];
        final double[] weight = new double[nodeCount];
        final double[] impurity = new double[nodeCount];
        final double[] value = new double[nodeCount * numClasses];
        for (int node = 0; node < nodeCount; node++)
        {
            feature[node] = in.readInt();
            samples[node] = in.readInt();
            weight[node] = in.readDouble();
            impurity[node] = in.readDouble();
            if (feature[node] >= 0)
            {
                threshold[node] = in.readDouble();
                right[node] = in.readInt();
                if (feature[node] >= numFeatures || right[node] <= node + 1 || right[node] >= nodeCount)
                {
                    throw new IOException("tree node " + node + " is malformed; the data is corrupt");
                }
            }
            else
            {
                for (int c = 0; c < numClasses; c++)
                {
                    value[node * numClasses + c] = in.readDouble();
                }
            }
        }
        return new DecisionTree(numClasses, nodeCount, feature, threshold, right, samples, weight, impurity, value);
    }
}
