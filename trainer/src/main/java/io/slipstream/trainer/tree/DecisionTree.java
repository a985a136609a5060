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
 * (-1 for a leaf), {@code int samples}, and for a split {@code double threshold, int right}, for a leaf
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
    private final double[] value;

    DecisionTree(final int numClasses, final int nodeCount, final int[] feature, final double[] threshold,
        final int[] right, final int[] samples, final double[] value)
    {
        this.numClasses = numClasses;
        this.nodeCount = nodeCount;
        this.feature = feature;
        this.threshold = threshold;
        this.right = right;
        this.samples = samples;
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
        final double[] value = new double[nodeCount * numClasses];
        for (int node = 0; node < nodeCount; node++)
        {
            feature[node] = in.readInt();
            samples[node] = in.readInt();
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
        return new DecisionTree(numClasses, nodeCount, feature, threshold, right, samples, value);
    }
}
