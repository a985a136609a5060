package io.slipstream.trainer.tree;

/**
 * Growth limits of one CART tree, with scikit-learn's meanings: {@code maxDepth} (Integer.MAX_VALUE for
 * unlimited), {@code minSamplesSplit} (a node with fewer distinct samples is a leaf), {@code minSamplesLeaf}
 * (every leaf keeps at least this many distinct samples) and {@code maxFeatures} (features drawn per split,
 * already resolved to a count).
 */
public record TreeParams(int maxDepth, int minSamplesSplit, int minSamplesLeaf, int maxFeatures)
{
    public TreeParams
    {
        if (maxDepth < 1)
        {
            throw new IllegalArgumentException("max_depth must be at least 1 (or null for unlimited), got " + maxDepth);
        }
        if (minSamplesSplit < 2)
        {
            throw new IllegalArgumentException("min_samples_split must be at least 2, got " + minSamplesSplit);
        }
        if (minSamplesLeaf < 1)
        {
            throw new IllegalArgumentException("min_samples_leaf must be at least 1, got " + minSamplesLeaf);
        }
        if (maxFeatures < 1)
        {
            throw new IllegalArgumentException("max_features must resolve to at least 1, got " + maxFeatures);
        }
    }
}
