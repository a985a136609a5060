package io.slipstream.trainer.tree;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Grows CART trees (Gini impurity, best split among {@code maxFeatures} randomly drawn non-constant
 * features, thresholds at midpoints) on one {@link TrainingMatrix}, the way scikit-learn's depth-first
 * builder does. Bootstrap duplicates are sample weights, so {@code min_samples_*} count distinct samples.
 *
 * <p>Each feature keeps its own copy of the node's rows in sorted order; a split partitions every copy
 * stably, so no node ever sorts. All scratch is allocated once per grower and reused for every tree.
 * Not thread-safe: one grower per thread.
 */
public final class TreeGrower
{
    private static final double FEATURE_THRESHOLD = 1e-7;
    private static final double IMPURITY_EPSILON = 1e-12;

    private final TrainingMatrix m;
    private final TreeParams params;
    private final int[] weight;
    private final int[][] idx;
    private final int[] scratch;
    private final boolean[] goesLeft;
    private final int[] featureOrder;
    private final double[] total;
    private final double[] leftCounts;
    private final int[] stackStart;
    private final int[] stackEnd;
    private final int[] stackDepth;
    private final int[] stackParent;
    private final int[] nodeFeature;
    private final double[] nodeThreshold;
    private final int[] nodeRight;
    private final int[] nodeSamples;
    private final double[] nodeWeight;
    private final double[] nodeImpurity;
    private final double[] nodeValue;

    public TreeGrower(final TrainingMatrix matrix, final TreeParams params)
    {
        this.m = matrix;
        this.params = params;
        final int n = matrix.rows;
        weight = new int[n];
        idx = new int[matrix.features][n];
        scratch = new int[n];
        goesLeft = new boolean[n];
        featureOrder = new int[matrix.features];
        total = new double[matrix.classes];
        leftCounts = new double[matrix.classes];
        stackStart = new int[n + 1];
        stackEnd = new int[n + 1];
        stackDepth = new int[n + 1];
        stackParent = new int[n + 1];
        final int maxNodes = 2 * n - 1;
        nodeFeature = new int[maxNodes];
        nodeThreshold = new double[maxNodes];
        nodeRight = new int[maxNodes];
        nodeSamples = new int[maxNodes];
        nodeWeight = new double[maxNodes];
        nodeImpurity = new double[maxNodes];
        nodeValue = new double[maxNodes * matrix.classes];
    }

    /**
     * Grows one tree. With {@code bootstrap}, {@code rows} draws with replacement (from {@code random})
     * weight the rows; otherwise every row counts once. Split features are drawn from {@code random} too.
     */
    public DecisionTree grow(final SplittableRandom random, final boolean bootstrap)
    {
        final int n = m.rows;
        if (bootstrap)
        {
            Arrays.fill(weight, 0);
            for (int i = 0; i < n; i++)
            {
                weight[random.nextInt(n)]++;
            }
        }
        else
        {
            Arrays.fill(weight, 1);
        }
        int active = 0;
        for (int f = 0; f < m.features; f++)
        {
            final int[] sorted = m.sorted[f];
            final int[] ix = idx[f];
            int k = 0;
            for (int i = 0; i < n; i++)
            {
                if (weight[sorted[i]] > 0)
                {
                    ix[k++] = sorted[i];
                }
            }
            active = k;
        }

        int nodes = 0;
        int top = 0;
        stackStart[0] = 0;
        stackEnd[0] = active;
        stackDepth[0] = 0;
        stackParent[0] = -1;
        top = 1;
        while (top > 0)
        {
            top--;
            final int start = stackStart[top];
            final int end = stackEnd[top];
            final int depth = stackDepth[top];
            final int parent = stackParent[top];
            final int node = nodes++;
            if (parent >= 0 && node != parent + 1)
            {
                nodeRight[parent] = node;
            }
            final int split = splitOrLeaf(node, start, end, depth, random);
            if (split > 0)
            {
                stackStart[top] = split;
                stackEnd[top] = end;
                stackDepth[top] = depth + 1;
                stackParent[top] = node;
                top++;
                stackStart[top] = start;
                stackEnd[top] = split;
                stackDepth[top] = depth + 1;
                stackParent[top] = node;
                top++;
            }
        }
        return new DecisionTree(m.classes, nodes, Arrays.copyOf(nodeFeature, nodes),
            Arrays.copyOf(nodeThreshold, nodes), Arrays.copyOf(nodeRight, nodes), Arrays.copyOf(nodeSamples, nodes),
            Arrays.copyOf(nodeWeight, nodes), Arrays.copyOf(nodeImpurity, nodes),
            Arrays.copyOf(nodeValue, nodes * m.classes));
    }

    /** Records the node; returns the position splitting its rows, or 0 when it is a leaf. */
    private int splitOrLeaf(final int node, final int start, final int end, final int depth,
        final SplittableRandom random)
    {
        final int classes = m.classes;
        final int[] label = m.label;
        Arrays.fill(total, 0.0);
        final int[] rows0 = idx[0];
        double w = 0;
        for (int p = start; p < end; p++)
        {
            final int r = rows0[p];
            total[label[r]] += weight[r];
            w += weight[r];
        }
        double sumSq = 0;
        for (int c = 0; c < classes; c++)
        {
            nodeValue[node * classes + c] = total[c] / w;
            sumSq += total[c] * total[c];
        }
        final int count = end - start;
        nodeSamples[node] = count;
        nodeFeature[node] = -1;
        nodeRight[node] = 0;
        nodeThreshold[node] = 0.0;
        final double impurity = 1.0 - sumSq / (w * w);
        nodeWeight[node] = w;
        nodeImpurity[node] = impurity;
        final int minLeaf = params.minSamplesLeaf();
        if (depth >= params.maxDepth() || count < params.minSamplesSplit() || count < 2 * minLeaf ||
            impurity <= IMPURITY_EPSILON)
        {
            return 0;
        }

        int bestFeature = -1;
        int bestPos = 0;
        double bestThreshold = 0;
        double bestProxy = Double.NEGATIVE_INFINITY;
        final int features = m.features;
        for (int f = 0; f < features; f++)
        {
            featureOrder[f] = f;
        }
        int drawn = 0;
        int nonConstant = 0;
        while (drawn < features && nonConstant < params.maxFeatures())
        {
            final int j = drawn + random.nextInt(features - drawn);
            final int f = featureOrder[j];
            featureOrder[j] = featureOrder[drawn];
            featureOrder[drawn] = f;
            drawn++;
            final int[] ix = idx[f];
            final double[] col = m.column[f];
            if (col[ix[end - 1]] <= col[ix[start]] + FEATURE_THRESHOLD)
            {
                continue;
            }
            nonConstant++;
            Arrays.fill(leftCounts, 0.0);
            // Sums of squared class weights left and right, updated in O(1) as each row moves left; the
            // weights are whole bootstrap counts, so these sums are exact.
            double wl = 0;
            double sl = 0;
            double sr = sumSq;
            double value = col[ix[start]];
            for (int p = start; p < end - 1; p++)
            {
                final int r = ix[p];
                final int c = label[r];
                final double rowWeight = weight[r];
                final double l = leftCounts[c];
                sl += rowWeight * (2 * l + rowWeight);
                sr += rowWeight * (rowWeight - 2 * (total[c] - l));
                leftCounts[c] = l + rowWeight;
                wl += rowWeight;
                final double next = col[ix[p + 1]];
                final double current = value;
                value = next;
                if (next <= current + FEATURE_THRESHOLD)
                {
                    continue;
                }
                final int nl = p - start + 1;
                if (nl < minLeaf || count - nl < minLeaf)
                {
                    continue;
                }
                final double proxy = sl / wl + sr / (w - wl);
                if (proxy > bestProxy)
                {
                    bestProxy = proxy;
                    bestFeature = f;
                    bestPos = p + 1;
                    double t = current / 2.0 + next / 2.0;
                    if (t == next || Double.isInfinite(t))
                    {
                        t = current;
                    }
                    bestThreshold = t;
                }
            }
        }
        if (bestFeature < 0)
        {
            return 0;
        }
        nodeFeature[node] = bestFeature;
        nodeThreshold[node] = bestThreshold;
        partition(bestFeature, start, end, bestPos);
        return bestPos;
    }

    /** Stably moves every feature's rows that go left to the front of [start, end). */
    private void partition(final int splitFeature, final int start, final int end, final int pos)
    {
        final int[] byFeature = idx[splitFeature];
        for (int p = start; p < end; p++)
        {
            goesLeft[byFeature[p]] = p < pos;
        }
        for (int f = 0; f < m.features; f++)
        {
            if (f == splitFeature)
            {
                continue;
            }
            final int[] ix = idx[f];
            int l = start;
            int s = 0;
            for (int p = start; p < end; p++)
            {
                final int r = ix[p];
                if (goesLeft[r])
                {
                    ix[l++] = r;
                }
                else
                {
                    scratch[s++] = r;
                }
            }
            System.arraycopy(scratch, 0, ix, l, s);
        }
    }
}
