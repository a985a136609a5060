package io.slipstream.trainer.forest;

import io.slipstream.comm.Communicator;
import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.data.Seeds;
import io.slipstream.trainer.model.FitContext;
import io.slipstream.trainer.model.ClassifierFamily;
import io.slipstream.trainer.model.DataShape;
import io.slipstream.trainer.search.Distribution;
import io.slipstream.trainer.tree.DecisionTree;
import io.slipstream.trainer.tree.TrainingMatrix;
import io.slipstream.trainer.tree.TreeGrower;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code random_forest}: CART trees on bootstrap samples, grown in parallel across the fit's group. Tree i
 * uses the seed derived from (fit seed, i) and is grown by group rank {@code i mod size}; the ranks
 * allgather their encoded trees, so every rank holds the same forest as a one-rank fit.
 * Unlabeled rows of the training set are ignored.
 */
public final class RandomForestFamily implements ClassifierFamily<RandomForestParams>
{
    public static final String NAME = "random_forest";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public RandomForestParams parameters(final Map<String, Object> setting, final DataShape shape)
    {
        final RandomForestParams p = RandomForestParams.from(setting, shape.features());
        ForestMemory.check(p, shape, Runtime.getRuntime().maxMemory());
        return p;
    }

    @Override
    public RandomForest fit(final Dataset train, final RandomForestParams p, final FitContext context)
    {
        final TrainingMatrix matrix = TrainingMatrix.of(train);
        ForestMemory.check(p, DataShape.of(train), Runtime.getRuntime().maxMemory());
        final Communicator group = context.group();
        final int size = group.size();
        final int rank = group.rank();
        final TreeGrower grower = new TreeGrower(matrix, p.tree(matrix.rows()));
        final DecisionTree[] trees = new DecisionTree[p.nEstimators()];
        for (int i = rank; i < trees.length; i += size)
        {
            trees[i] = grower.grow(new SplittableRandom(Seeds.derive(context.seed(), i)), p.bootstrap());
        }
        if (size > 1)
        {
            final byte[][] all = group.allgatherBytes(encode(trees, rank, size));
            for (int r = 0; r < size; r++)
            {
                if (r != rank)
                {
                    decodeInto(all[r], trees, r, size, train.numClasses(), train.numFeatures());
                }
            }
        }
        return new RandomForest(trees, train.featureNames(), train.classNames());
    }

    /** Split evaluations: trees x rows x levels x features drawn per split. */
    @Override
    public double cost(final RandomForestParams p, final DataShape shape)
    {
        final int rows = Math.max(shape.rows(), 1);
        final double levels = Math.min(p.maxDepth(), Math.max(1.0, Math.log(rows + 1) / Math.log(2)));
        return p.nEstimators() * (double)rows * levels * p.maxFeatures();
    }

    @Override
    public Map<String, Distribution> autoSpace()
    {
        return Map.of(
            "n_estimators", new Distribution.Range(50, 300, false, true),
            "max_depth", new Distribution.Choice(Arrays.asList(null, 5, 10, 20)),
            "min_samples_split", new Distribution.Range(2, 10, false, true),
            "min_samples_leaf", new Distribution.Range(1, 4, false, true),
            "max_features", new Distribution.Choice(Arrays.asList("sqrt", "log2", null)));
    }

    private static byte[] encode(final DecisionTree[] trees, final int rank, final int size)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            for (int i = rank; i < trees.length; i += size)
            {
                trees[i].encode(out);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    private static void decodeInto(final byte[] bytes, final DecisionTree[] trees, final int rank, final int size,
        final int numClasses, final int numFeatures)
    {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes)))
        {
            for (int i = rank; i < trees.length; i += size)
            {
                trees[i] = DecisionTree.decode(in, numClasses, numFeatures);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("trees from group rank " + rank + " are corrupt", ex);
        }
    }
}
