package io.slipstream.trainer.forest;

import io.slipstream.trainer.model.DataShape;

import java.util.Locale;

/**
 * The memory a forest fit may need, bounded before anything is allocated: every node of a tree keeps one class
 * fraction per class, so many classes times many nodes is what fills a heap. The bound counts the grower's scratch
 * (2 rows - 1 nodes, allocated up front) and each tree at its largest (limited by the rows, min_samples_leaf and
 * max_depth).
 */
final class ForestMemory
{
    private ForestMemory()
    {
    }

    /** Bytes a fit of {@code p} on data of {@code shape} needs for its nodes' class fractions, at most. */
    static double bytes(final RandomForestParams p, final DataShape shape)
    {
        final double rows = Math.max(shape.rows(), 1);
        final double classes = Math.max(shape.classes(), 1);
        double treeNodes = 2 * Math.ceil(rows / p.minSamplesLeaf().resolve(shape.rows(), 1)) - 1;
        if (p.maxDepth() < 62)
        {
            treeNodes = Math.min(treeNodes, Math.pow(2, p.maxDepth() + 1) - 1);
        }
        final double grower = (2 * rows - 1) * classes * Double.BYTES;
        return grower + p.nEstimators() * treeNodes * classes * Double.BYTES;
    }

    /** Throws an IllegalArgumentException (one line, with the figures and the fixes) when the bound exceeds {@code heap}. */
    static void check(final RandomForestParams p, final DataShape shape, final long heap)
    {
        final double need = bytes(p, shape);
        if (need > heap)
        {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                "a forest of %d trees on %d rows with %d classes may need %.1f GiB for its nodes' class fractions " +
                "but the heap holds %.1f GiB; use fewer classes, fewer or shallower trees (n_estimators, max_depth, " +
                "min_samples_leaf) or a larger heap (-Xmx in SLIPSTREAM_JAVA_OPTS)", p.nEstimators(), shape.rows(),
                shape.classes(), need / (1L << 30), heap / (double)(1L << 30)));
        }
    }
}
