package io.slipstream.trainer.forest;

import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.data.Iris;
import io.slipstream.trainer.data.TrainTestSplit;
import io.slipstream.trainer.metrics.ConfusionMatrix;
import io.slipstream.trainer.model.DataShape;
import io.slipstream.trainer.model.FitContext;
import io.slipstream.trainer.model.RunHooks;
import io.slipstream.trainer.testing.Ranks;
import io.slipstream.trainer.tree.DecisionTree;
import io.slipstream.trainer.testing.Fits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomForestTest
{
    private static final Dataset IRIS = Iris.load();
    private static final RandomForestFamily FAMILY = new RandomForestFamily();

    private static RandomForest fit(final Dataset data, final Map<String, Object> params, final long seed)
    {
        return (RandomForest)Fits.fit(FAMILY, data, params, new FitContext(Ranks.solo(), seed, RunHooks.NONE));
    }

    private static Map<String, Object> params(final Object... pairs)
    {
        final Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2)
        {
            map.put((String)pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @Test
    void singleTreeSplitsAtTheMidpointLikeScikitLearn()
    {
        final double[][] x = {{1}, {2}, {3}, {10}, {11}, {12}};
        final Dataset d = new Dataset(x, new int[]{0, 0, 0, 1, 1, 1}, new String[]{"x"}, new String[]{"a", "b"});
        final DecisionTree tree = fit(d, params("n_estimators", 1, "bootstrap", false, "max_features", null), 1)
            .tree(0);
        assertEquals(3, tree.nodeCount());
        assertEquals(0, tree.feature(0));
        assertEquals(6.5, tree.threshold(0));
        assertEquals(1.0, tree.fraction(tree.left(0), 0));
        assertEquals(1.0, tree.fraction(tree.right(0), 1));
    }

    @Test
    void reachesTheReferenceAccuracyOnIris()
    {
        final TrainTestSplit split = TrainTestSplit.stratified(IRIS, 0.2, 42);
        final Dataset test = IRIS.subset(split.test());
        final RandomForest forest = fit(IRIS.subset(split.train()), params(), 42);
        assertEquals(100, forest.treeCount());
        final int[] actual = new int[test.size()];
        for (int i = 0; i < actual.length; i++)
        {
            actual[i] = test.label(i);
        }
        final ConfusionMatrix cm = ConfusionMatrix.of(3, actual, forest.predict(test));
        assertTrue((double)(cm.count(0, 0) + cm.count(1, 1) + cm.count(2, 2)) / cm.total() >= 0.93, cm.toString());
        for (final double[] p : forest.predictProba(test))
        {
            assertEquals(1.0, p[0] + p[1] + p[2], 1e-9);
        }
    }

    @Test
    void maxDepthLimitsDepth()
    {
        int unlimited = 0;
        for (final DecisionTree t : trees(fit(IRIS, params("n_estimators", 20, "max_depth", null), 3)))
        {
            unlimited = Math.max(unlimited, t.depth());
        }
        assertTrue(unlimited > 2, "unlimited trees should grow past depth 2, got " + unlimited);
        for (final DecisionTree t : trees(fit(IRIS, params("n_estimators", 20, "max_depth", 2), 3)))
        {
            assertTrue(t.depth() <= 2);
        }
    }

    @Test
    void minSamplesLeafIsRespected()
    {
        for (final DecisionTree t : trees(fit(IRIS, params("n_estimators", 20, "min_samples_leaf", 7), 3)))
        {
            for (int node = 0; node < t.nodeCount(); node++)
            {
                if (t.isLeaf(node))
                {
                    assertTrue(t.samples(node) >= 7, "leaf with " + t.samples(node) + " samples");
                }
            }
        }
    }

    @Test
    void minSamplesSplitIsRespected()
    {
        int smallestSplit = Integer.MAX_VALUE;
        for (final DecisionTree t : trees(fit(IRIS, params("n_estimators", 20, "min_samples_split", 30), 3)))
        {
            for (int node = 0; node < t.nodeCount(); node++)
            {
                if (!t.isLeaf(node))
                {
                    smallestSplit = Math.min(smallestSplit, t.samples(node));
                }
            }
        }
        assertTrue(smallestSplit >= 30, "split a node of " + smallestSplit + " samples");
        // A fraction means ceil(fraction * rows) as in scikit-learn: 0.5 of 150 rows = 75.
        for (final DecisionTree t : trees(fit(IRIS, params("n_estimators", 5, "min_samples_split", 0.5,
            "bootstrap", false), 3)))
        {
            for (int node = 0; node < t.nodeCount(); node++)
            {
                assertTrue(t.isLeaf(node) || t.samples(node) >= 75);
            }
        }
    }

    @Test
    void maxFeaturesControlsWhichFeaturesCompete()
    {
        // Without bootstrap and with every feature considered, every tree makes the same best splits (equal
        // splits on different features may swap, as in scikit-learn), so all trees partition the rows alike.
        final RandomForest all = fit(IRIS, params("n_estimators", 10, "max_features", null, "bootstrap", false), 5);
        final DecisionTree first = all.tree(0);
        for (final DecisionTree t : trees(all))
        {
            assertEquals(first.nodeCount(), t.nodeCount());
            for (int i = 0; i < IRIS.size(); i++)
            {
                assertEquals(first.samples(first.leaf(IRIS.row(i))), t.samples(t.leaf(IRIS.row(i))));
            }
        }
        // With one feature per split the root feature varies from tree to tree.
        final RandomForest one = fit(IRIS, params("n_estimators", 30, "max_features", 1, "bootstrap", false), 5);
        final boolean[] rootFeatures = new boolean[4];
        for (final DecisionTree t : trees(one))
        {
            rootFeatures[t.feature(0)] = true;
        }
        int distinct = 0;
        for (final boolean b : rootFeatures)
        {
            distinct += b ? 1 : 0;
        }
        assertTrue(distinct >= 3, "root features used: " + distinct);
        assertThrows(IllegalArgumentException.class, () -> fit(IRIS, params("max_features", 5), 1));
        assertThrows(IllegalArgumentException.class, () -> fit(IRIS, params("max_features", "cube"), 1));
    }

    @Test
    void bootstrapSamplesRowsWithReplacement()
    {
        for (final DecisionTree t : trees(fit(IRIS, params("n_estimators", 10, "bootstrap", false), 9)))
        {
            assertEquals(150, t.samples(0));
        }
        for (final DecisionTree t : trees(fit(IRIS, params("n_estimators", 10), 9)))
        {
            // About 63% of the rows are drawn at least once.
            assertTrue(t.samples(0) > 75 && t.samples(0) < 125, "root has " + t.samples(0) + " distinct rows");
        }
    }

    @Test
    void seedsMakeFitsRepeatable()
    {
        assertArrayEquals(fit(IRIS, params("n_estimators", 15), 77).toBytes(),
            fit(IRIS, params("n_estimators", 15), 77).toBytes());
        assertFalse(Arrays.equals(fit(IRIS, params("n_estimators", 15), 77).toBytes(),
            fit(IRIS, params("n_estimators", 15), 78).toBytes()));
    }

    @Test
    void treesGrownAcrossRanksEqualOneRankFit() throws Exception
    {
        final byte[] single = fit(IRIS, params("n_estimators", 25), 1234).toBytes();
        for (final int size : new int[]{2, 3})
        {
            final List<byte[]> perRank = Ranks.run(size, group ->
                ((RandomForest)Fits.fit(FAMILY, IRIS, params("n_estimators", 25), new FitContext(group, 1234,
                RunHooks.NONE))).toBytes());
            for (final byte[] bytes : perRank)
            {
                assertArrayEquals(single, bytes);
            }
        }
    }

    @Test
    void savedForestLoadsBackIdentically(@TempDir final Path dir) throws IOException
    {
        final RandomForest forest = fit(IRIS, params("n_estimators", 12), 4);
        final Path file = dir.resolve(forest.fileName());
        try (OutputStream out = Files.newOutputStream(file))
        {
            forest.writeTo(out);
        }
        final RandomForest loaded = RandomForest.load(file);
        assertArrayEquals(forest.toBytes(), loaded.toBytes());
        assertArrayEquals(forest.predict(IRIS), loaded.predict(IRIS));
    }

    @Test
    void featureImportancesSumToOneAndFavourThePetals()
    {
        final double[] importances = fit(IRIS, params("n_estimators", 50), 2).featureImportances();
        assertEquals(1.0, importances[0] + importances[1] + importances[2] + importances[3], 1e-9);
        // Petal length and width carry almost all of Iris' class information.
        assertTrue(importances[2] + importances[3] > 0.7, Arrays.toString(importances));
        final RandomForest stump = fit(IRIS, params("n_estimators", 1, "max_depth", 1, "bootstrap", false,
            "max_features", null), 2);
        final double[] one = stump.featureImportances();
        assertEquals(1.0, one[stump.tree(0).feature(0)], 1e-12);
    }

    @Test
    void predictingOnOtherColumnsIsRejected()
    {
        final Dataset twoColumns = new Dataset(new double[][]{{1, 2}}, new int[]{0}, new String[]{"a", "b"},
            new String[]{"x", "y", "z"});
        assertThrows(IllegalArgumentException.class, () -> fit(IRIS, params("n_estimators", 2), 1).predict(twoColumns));
    }

    @Test
    void unknownOrBadParametersAreRejected()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> fit(IRIS, params("n_trees", 3), 1));
        assertTrue(ex.getMessage().contains("allowed: bootstrap, max_depth"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> fit(IRIS, params("n_estimators", 0), 1));
        assertThrows(IllegalArgumentException.class, () -> fit(IRIS, params("min_samples_split", 1), 1));
        assertThrows(IllegalArgumentException.class, () -> fit(IRIS, params("max_depth", 0), 1));
        assertThrows(IllegalArgumentException.class, () -> fit(IRIS, params("bootstrap", "yes"), 1));
        final IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
            () -> fit(IRIS, params("max_depth", "none"), 1));
        assertTrue(none.getMessage().contains("write null"), none.getMessage());
    }

    private static DecisionTree[] trees(final RandomForest forest)
    {
        final DecisionTree[] trees = new DecisionTree[forest.treeCount()];
        for (int i = 0; i < trees.length; i++)
        {
            trees[i] = forest.tree(i);
        }
        return trees;
    }

    @Test
    void aForestOfTenThousandClassesIsRefusedBeforeAnythingIsAllocated()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> FAMILY.parameters(params("n_estimators", 100), new DataShape(20_000, 4, 10_000)));
        assertTrue(ex.getMessage().matches("a forest of 100 trees on 20000 rows with 10000 classes may need " +
            "[0-9.]+ GiB .* but the heap holds [0-9.]+ GiB; .*"), ex.getMessage());
        assertFalse(ex.getMessage().contains("\n"));
        // Iris-sized forests pass, and so does the same shape with a few classes.
        FAMILY.parameters(params("n_estimators", 100), DataShape.of(IRIS));
        FAMILY.parameters(params("n_estimators", 10, "max_depth", 8), new DataShape(20_000, 4, 10));
    }
}
