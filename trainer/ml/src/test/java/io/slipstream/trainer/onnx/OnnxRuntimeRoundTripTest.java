package io.slipstream.trainer.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.slipstream.trainer.cluster.KMeansFamily;
import io.slipstream.trainer.cluster.KMeansModel;
import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.data.Iris;
import io.slipstream.trainer.data.SyntheticClassification;
import io.slipstream.trainer.data.TrainTestSplit;
import io.slipstream.trainer.forest.RandomForest;
import io.slipstream.trainer.forest.RandomForestFamily;
import io.slipstream.trainer.model.FitContext;
import io.slipstream.trainer.model.RunHooks;
import io.slipstream.trainer.testing.Fits;
import io.slipstream.trainer.testing.Ranks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ONNX exports run in ONNX Runtime (its Java package) on the test split give Slipstream's own predictions:
 * the same labels, and forest probabilities within 1e-5. Features are float32-representable (each data set is cast
 * to float before the split), so the runtime sees exactly the values Slipstream predicts on. Exporting the
 * thresholds with a plain {@code (float)} cast fails {@link #splitsBetweenAdjacentFloats} and Iris too (a test
 * value sits just above a training midpoint that the cast rounds up onto it); taking the ensemble's own label
 * output instead of the {@code ArgMax} fails {@link #twoClassForest}.
 */
class OnnxRuntimeRoundTripTest
{
    private static OrtEnvironment env;
    private static OrtSession.SessionOptions options;

    @BeforeAll
    static void startRuntime() throws OrtException
    {
        env = OrtEnvironment.getEnvironment();
        options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
    }

    @AfterAll
    static void stopRuntime()
    {
        options.close();
    }

    /** {@code data} with every feature rounded to the nearest float32, as the runtime's float input holds it. */
    private static Dataset float32(final Dataset data)
    {
        final double[][] rows = new double[data.size()][data.numFeatures()];
        final int[] labels = new int[data.size()];
        for (int i = 0; i < rows.length; i++)
        {
            for (int f = 0; f < rows[i].length; f++)
            {
                rows[i][f] = (float)data.feature(i, f);
            }
            labels[i] = data.label(i);
        }
        return new Dataset(rows, labels, data.featureNames(), data.classNames());
    }

    private static float[][] floats(final Dataset data)
    {
        final float[][] out = new float[data.size()][data.numFeatures()];
        for (int i = 0; i < out.length; i++)
        {
            for (int f = 0; f < out[i].length; f++)
            {
                out[i][f] = (float)data.feature(i, f);
            }
        }
        return out;
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

    private static byte[] onnx(final OnnxExportable model) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        model.writeOnnx(out);
        return out.toByteArray();
    }

    /** Runs {@code model} on {@code test}; returns its outputs by name. */
    private static Map<String, Object> run(final byte[] model, final Dataset test, final String... outputs)
        throws OrtException
    {
        try (OrtSession session = env.createSession(model, options);
             OnnxTensor input = OnnxTensor.createTensor(env, floats(test));
             OrtSession.Result result = session.run(Map.of("features", input)))
        {
            final Map<String, Object> out = new HashMap<>();
            for (final String name : outputs)
            {
                out.put(name, result.get(name).orElseThrow().getValue());
            }
            return out;
        }
    }

    /** Fits a forest on the float32 train split and checks the runtime agrees with it on the test split. */
    private static RandomForest assertForestRoundTrip(final Dataset raw, final Map<String, Object> setting,
        final long seed) throws Exception
    {
        final Dataset data = float32(raw);
        final TrainTestSplit split = TrainTestSplit.stratified(data, 0.3, seed);
        final Dataset test = data.subset(split.test());
        final RandomForest forest = Fits.fit(new RandomForestFamily(), data.subset(split.train()), setting,
            new FitContext(Ranks.solo(), seed, RunHooks.NONE));
        final Map<String, Object> out = run(onnx(forest), test, "label", "probabilities");
        final long[] labels = (long[])out.get("label");
        final float[][] probabilities = (float[][])out.get("probabilities");
        final int[] expected = forest.predict(test);
        final double[][] expectedProba = forest.predictProba(test);
        assertEquals(test.size(), labels.length);
        for (int i = 0; i < labels.length; i++)
        {
            assertEquals(expected[i], labels[i], "label of test row " + i);
            assertEquals(forest.numClasses(), probabilities[i].length);
            for (int c = 0; c < forest.numClasses(); c++)
            {
                assertEquals(expectedProba[i][c], probabilities[i][c], 1e-5, "P(class " + c + ") of test row " + i);
            }
        }
        return forest;
    }

    private static void assertKMeansRoundTrip(final Dataset raw, final int k, final long seed) throws Exception
    {
        final Dataset data = float32(raw);
        final TrainTestSplit split = TrainTestSplit.stratified(data, 0.3, seed);
        final Dataset test = data.subset(split.test());
        final KMeansModel model = Fits.fit(new KMeansFamily(), data.subset(split.train()), params("n_clusters", k),
            new FitContext(Ranks.solo(), seed, RunHooks.NONE));
        final Map<String, Object> out = run(onnx(model), test, "label", "squared_distances");
        final long[] labels = (long[])out.get("label");
        final float[][] distances = (float[][])out.get("squared_distances");
        final int[] expected = model.predict(test);
        assertEquals(test.size(), labels.length);
        for (int i = 0; i < labels.length; i++)
        {
            assertEquals(expected[i], labels[i], "cluster of test row " + i);
            for (int c = 0; c < k; c++)
            {
                double d = 0;
                for (int f = 0; f < test.numFeatures(); f++)
                {
                    final double diff = test.feature(i, f) - model.centroid(c)[f];
                    d += diff * diff;
                }
                assertEquals(d, distances[i][c], 1e-5 * Math.max(1, d), "distance of row " + i + " to " + c);
            }
        }
    }

    @Test
    void irisForest() throws Exception
    {
        assertForestRoundTrip(Iris.load(), params(), 42);
    }

    @Test
    void deepForestOnManyClassesAndFeatures() throws Exception
    {
        final RandomForest forest = assertForestRoundTrip(
            SyntheticClassification.generate(1500, 12, 6, 5, 0.8, 11),
            params("n_estimators", 40, "max_depth", 12), 7);
        int deepest = 0;
        for (int t = 0; t < forest.treeCount(); t++)
        {
            deepest = Math.max(deepest, forest.tree(t).depth());
        }
        assertTrue(deepest > 5, "the trees should be deeper than 5, deepest is " + deepest);
    }

    @Test
    void twoClassForest() throws Exception
    {
        // Two classes are where ONNX Runtime's ensemble label differs from an argmax; the exported label must not.
        assertForestRoundTrip(SyntheticClassification.generate(600, 10, 3, 2, 0.5, 3),
            params("n_estimators", 25), 5);
    }

    /**
     * Features on a grid of adjacent float32 values, so every split falls between two neighbouring floats; where
     * the lower has an odd mantissa the midpoint rounds up to the upper one, and a plainly cast threshold would
     * send that upper value left. Only thresholds exported by {@link Float32Thresholds#lessOrEqual} pass.
     */
    @Test
    void splitsBetweenAdjacentFloats() throws Exception
    {
        final SplittableRandom random = new SplittableRandom(17);
        final int rows = 900;
        final int features = 10;
        final float[] base = new float[features];
        for (int f = 0; f < features; f++)
        {
            base[f] = (float)(random.nextDouble(-100, 100));
        }
        final double[][] x = new double[rows][features];
        final int[] y = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            final int[] steps = new int[features];
            for (int f = 0; f < features; f++)
            {
                steps[f] = random.nextInt(16);
                float v = base[f];
                for (int s = 0; s < steps[f]; s++)
                {
                    v = Math.nextUp(v);
                }
                x[i][f] = v;
            }
            y[i] = (steps[0] >= 8 ? 1 : 0) + (steps[1] % 4 >= 2 ? 2 : 0);
            if (random.nextInt(10) == 0)
            {
                y[i] = random.nextInt(4);
            }
        }
        final String[] names = new String[features];
        for (int f = 0; f < features; f++)
        {
            names[f] = "x" + f;
        }
        assertForestRoundTrip(new Dataset(x, y, names, new String[]{"a", "b", "c", "d"}),
            params("n_estimators", 30, "max_features", null), 23);
    }

    @Test
    void irisKMeans() throws Exception
    {
        assertKMeansRoundTrip(Iris.load(), 3, 42);
    }

    @Test
    void kMeansOnManyFeatures() throws Exception
    {
        assertKMeansRoundTrip(SyntheticClassification.generate(1500, 12, 6, 5, 2.0, 11), 5, 9);
    }

    @Test
    void theFileSaysWhatItHolds() throws Exception
    {
        final Dataset iris = float32(Iris.load());
        final RandomForest forest = Fits.fit(new RandomForestFamily(), iris, params("n_estimators", 3),
            new FitContext(Ranks.solo(), 1, RunHooks.NONE));
        try (OrtSession session = env.createSession(onnx(forest), options))
        {
            assertEquals("slipstream", session.getMetadata().getProducerName());
            final Map<String, String> custom = session.getMetadata().getCustomMetadata();
            assertEquals("random_forest", custom.get("slipstream_family"));
            assertEquals(OnnxModel.jsonStrings(iris.classNames()), custom.get("class_names"));
            assertEquals(OnnxModel.jsonStrings(iris.featureNames()), custom.get("feature_names"));
            assertArrayEquals(new Object[]{"features"}, session.getInputNames().toArray());
            assertArrayEquals(new Object[]{"label", "probabilities"}, session.getOutputNames().toArray());
        }
    }
}
