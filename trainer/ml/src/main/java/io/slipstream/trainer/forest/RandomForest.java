package io.slipstream.trainer.forest;

import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.model.Classifier;
import io.slipstream.trainer.model.FeatureImportances;
import io.slipstream.trainer.onnx.OnnxExportable;
import io.slipstream.trainer.tree.DecisionTree;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fitted random forest: class probabilities are the mean of the trees' leaf class fractions, the
 * prediction their argmax (the lowest class on ties).
 *
 * <p>File format ({@value #FILE_NAME}, big-endian): the magic bytes {@code SSRF}, {@code int version}
 * (1), {@code int numFeatures}, {@code int numClasses}, the class names then the feature names as
 * modified-UTF-8 strings ({@code DataOutput.writeUTF}), {@code int treeCount}, then each tree in
 * {@link DecisionTree#encode}'s encoding. This file is Slipstream's own cache of the forest, read back by
 * {@link #load}; {@link #writeOnnx} writes the portable ONNX-ML form other tools load.
 */
public final class RandomForest implements Classifier, FeatureImportances, OnnxExportable
{
    public static final String FILE_NAME = "random_forest.ssrf";
    private static final int MAGIC = 0x53535246;
    private static final int VERSION = 1;

    private final DecisionTree[] trees;
    private final String[] featureNames;
    private final String[] classNames;

    public RandomForest(final DecisionTree[] trees, final String[] featureNames, final String[] classNames)
    {
        if (trees.length == 0)
        {
            throw new IllegalArgumentException("a forest needs at least one tree");
        }
        this.trees = trees.clone();
        this.featureNames = featureNames.clone();
        this.classNames = classNames.clone();
    }

    public int treeCount()
    {
        return trees.length;
    }

    public DecisionTree tree(final int i)
    {
        return trees[i];
    }

    public int numClasses()
    {
        return classNames.length;
    }

    /** The class labels, by class index. */
    public String[] classNames()
    {
        return classNames.clone();
    }

    /** The feature names, by column. */
    public String[] featureNames()
    {
        return featureNames.clone();
    }

    @Override
    public Map<String, Double> importances()
    {
        final double[] values = featureImportances();
        final Map<String, Double> out = new LinkedHashMap<>();
        for (int f = 0; f < values.length; f++)
        {
            out.put(featureNames[f], values[f]);
        }
        return out;
    }

    /**
     * Mean decrease in impurity per feature, averaged over the trees and normalised to sum to 1 (all zeros
     * when no tree split), as scikit-learn's {@code feature_importances_}.
     */
    public double[] featureImportances()
    {
        final double[] out = new double[featureNames.length];
        for (final DecisionTree tree : trees)
        {
            tree.addImportances(out);
        }
        double total = 0;
        for (final double v : out)
        {
            total += v;
        }
        if (total > 0)
        {
            for (int f = 0; f < out.length; f++)
            {
                out[f] /= total;
            }
        }
        return out;
    }

    /** Writes this forest's probabilities for {@code row} into {@code out} (length numClasses). */
    public void proba(final double[] row, final double[] out)
    {
        Arrays.fill(out, 0.0);
        for (final DecisionTree tree : trees)
        {
            tree.addProba(row, out);
        }
        final double scale = 1.0 / trees.length;
        for (int c = 0; c < out.length; c++)
        {
            out[c] *= scale;
        }
    }

    @Override
    public int[] predict(final Dataset data)
    {
        checkShape(data);
        final int[] out = new int[data.size()];
        final double[] p = new double[classNames.length];
        for (int i = 0; i < out.length; i++)
        {
            proba(data.row(i), p);
            int best = 0;
            for (int c = 1; c < p.length; c++)
            {
                if (p[c] > p[best])
                {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    @Override
    public double[][] predictProba(final Dataset data)
    {
        checkShape(data);
        final double[][] out = new double[data.size()][classNames.length];
        for (int i = 0; i < out.length; i++)
        {
            proba(data.row(i), out[i]);
        }
        return out;
    }

    private void checkShape(final Dataset data)
    {
        if (data.numFeatures() != featureNames.length)
        {
            throw new IllegalArgumentException("this forest was fitted on " + featureNames.length +
                " features but the data has " + data.numFeatures() + "; predict on data with the training columns");
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
        write(out);
        out.flush();
    }

    /**
     * Writes this forest as an ONNX-ML {@code TreeEnsembleClassifier} graph: input {@code features} (float
     * [N, features]), outputs {@code label} (int64 [N]) and {@code probabilities} (float [N, classes]) equal to
     * {@link #predict} and {@link #predictProba} on float32-representable rows (probabilities to float32 rounding).
     */
    @Override
    public void writeOnnx(final OutputStream out) throws IOException
    {
        ForestOnnx.model(this).writeTo(out);
    }

    public byte[] toBytes()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            write(out);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    public static RandomForest load(final Path file) throws IOException
    {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file))))
        {
            return read(in, file.toString());
        }
    }

    private void write(final DataOutputStream out) throws IOException
    {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(featureNames.length);
        out.writeInt(classNames.length);
        for (final String name : classNames)
        {
            out.writeUTF(name);
        }
        for (final String name : featureNames)
        {
            out.writeUTF(name);
        }
        out.writeInt(trees.length);
        for (final DecisionTree tree : trees)
        {
            tree.encode(out);
        }
    }

    private static RandomForest read(final DataInputStream in, final String source) throws IOException
    {
        if (in.readInt() != MAGIC)
        {
            throw new IOException(source + " is not a Slipstream random forest (bad magic bytes)");
        }
        final int version = in.readInt();
        if (version != VERSION)
        {
            throw new IOException(source + " has format version " + version + "; this build reads " + VERSION);
        }
        final int numFeatures = in.readInt();
        final int numClasses = in.readInt();
        final String[] classNames = new String[numClasses];
        for (int c = 0; c < numClasses; c++)
        {
            classNames[c] = in.readUTF();
        }
        final String[] featureNames = new String[numFeatures];
        for (int f = 0; f < numFeatures; f++)
        {
            featureNames[f] = in.readUTF();
        }
        final DecisionTree[] trees = new DecisionTree[in.readInt()];
        for (int t = 0; t < trees.length; t++)
        {
            trees[t] = DecisionTree.decode(in, numClasses, numFeatures);
        }
        return new RandomForest(trees, featureNames, classNames);
    }
}
