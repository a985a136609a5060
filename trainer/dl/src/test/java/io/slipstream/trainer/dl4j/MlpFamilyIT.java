package io.slipstream.trainer.dl4j;

import io.slipstream.comm.Comm;
import io.slipstream.comm.Communicator;
import io.slipstream.comm.ThreadRanks;
import io.slipstream.kernels.Compression;
import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.data.Iris;
import io.slipstream.trainer.data.TrainTestSplit;
import io.slipstream.trainer.dp.DataParallelOptions;
import io.slipstream.trainer.dp.TrainingHooks;
import io.slipstream.trainer.dp.TrainingOptions;
import io.slipstream.trainer.metrics.ClassificationMetrics;
import io.slipstream.trainer.metrics.ConfusionMatrix;
import io.slipstream.trainer.metrics.ModelEvaluation;
import io.slipstream.trainer.model.DataShape;
import io.slipstream.trainer.model.FitContext;
import io.slipstream.trainer.model.UserInputException;
import io.slipstream.trainer.model.RunHooks;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import io.slipstream.trainer.testing.Fits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.Normalizer;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;

import java.nio.file.Files;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whole DL4J fits on in-JVM ranks (tens of seconds): run in the integration phase, each within its bound. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class MlpFamilyIT
{
    private static final Map<String, Object> PARAMS =
        Map.of("hidden_layers", java.util.List.of(16), "epochs", 60, "batch_size", 8, "learning_rate", 0.02);

    @TempDir
    Path dir;

    private static Dataset[] irisSplit()
    {
        final Dataset iris = Iris.load();
        final TrainTestSplit split = TrainTestSplit.stratified(iris, 0.2, 42);
        return new Dataset[]{iris.subset(split.train()), iris.subset(split.test())};
    }

    private static TrainingHooks compressed(final Compression compression)
    {
        return new TrainingHooks()
        {
            @Override
            public TrainingOptions trainingOptions()
            {
                return new TrainingOptions(DataParallelOptions.DEFAULT.withCompression(compression), 1, 1);
            }
        };
    }

    /** Fits on {@code ranks} ranks; returns {test accuracy of rank 0, of rank 1 when it agrees}. */
    private static double[] fitOnRanks(final int ranks, final RunHooks hooks, final Path saveTo)
    {
        final Dataset[] split = irisSplit();
        final double[] accuracy = new double[ranks];
        final float[][] params = new float[ranks][];
        ThreadRanks.run(ranks, UnaryOperator.identity(), Duration.ofMinutes(2), (comm) ->
        {
            final DeepModel model = Fits.fit(new MlpFamily(), split[0], PARAMS, new FitContext(comm, 7, hooks));
            params[comm.rank()] = model.network().params().toFloatVector();
            final ClassificationMetrics metrics = new ClassificationMetrics(ModelEvaluation.confusion(model, split[1], comm));
            accuracy[comm.rank()] = metrics.accuracy();
            if (comm.rank() == 0 && saveTo != null)
            {
                try (OutputStream out = Files.newOutputStream(saveTo.resolve(model.fileName())))
                {
                    model.writeTo(out);
                }
            }
        });
        for (int r = 1; r < ranks; r++)
        {
            assertArrayEquals(params[0], params[r], "ranks hold the same model");
            assertEquals(accuracy[0], accuracy[r]);
        }
        return accuracy;
    }

    @Test
    void twoRanksLearnIrisAndSaveAModelPlainDl4jLoads() throws Exception
    {
        final double accuracy = fitOnRanks(2, RunHooks.NONE, dir)[0];
        assertTrue(accuracy >= 0.93, "test accuracy " + accuracy);

        final Path saved = dir.resolve(DeepModel.FILE_NAME);
        try (var left = Files.list(dir))
        {
            assertEquals(List.of(saved), left.toList(), "nothing but the model is left in the directory");
        }
        final Pair<MultiLayerNetwork, Normalizer> loaded =
            ModelSerializer.restoreMultiLayerNetworkAndNormalizer(saved.toFile(), false);
        final Dataset test = irisSplit()[1];
        final INDArray x = DeepModel.features(test);
        ((NormalizerStandardize)loaded.getSecond()).transform(x);
        final INDArray out = loaded.getFirst().output(x);
        int correct = 0;
        for (int i = 0; i < test.size(); i++)
        {
            correct += out.getRow(i).argMax().getInt(0) == test.label(i) ? 1 : 0;
        }
        assertEquals(accuracy, correct / (double)test.size(), 1e-12, "the saved model predicts as the trained one");
    }

    @Test
    void compressedTrainingEndsWithinOnePointOfUncompressedAccuracy()
    {
        final double exact = fitOnRanks(2, compressed(Compression.NONE), null)[0];
        final double bf16 = fitOnRanks(2, compressed(Compression.BF16), null)[0];
        assertTrue(Math.abs(exact - bf16) <= 0.01 + 1e-12, "uncompressed " + exact + ", bf16 " + bf16);
    }

    @Test
    void distributedEvaluationEqualsWholeSetEvaluation()
    {
        final Dataset[] split = irisSplit();
        final DeepModel model = Fits.fit(new LogisticRegressionFamily(), split[0], Map.of("epochs", 30, "learning_rate", 0.05),
            new FitContext(Comm.self(), 3, RunHooks.NONE));
        final ConfusionMatrix whole = ConfusionMatrix.of(3, labels(Iris.load()), model.predict(Iris.load()));
        assertTrue(new ClassificationMetrics(whole).accuracy() > 0.85);
        for (final int ranks : new int[]{2, 3})
        {
            final ConfusionMatrix[] seen = new ConfusionMatrix[ranks];
            ThreadRanks.run(ranks, (comm) -> seen[comm.rank()] =
                ModelEvaluation.confusion(model, Iris.load(), comm));
            for (final ConfusionMatrix m : seen)
            {
                assertEquals(whole, m);
                final ClassificationMetrics a = new ClassificationMetrics(m);
                final ClassificationMetrics b = new ClassificationMetrics(whole);
                assertEquals(b.f1Macro(), a.f1Macro());
                assertEquals(b.precisionWeighted(), a.precisionWeighted());
                assertEquals(b.recallMicro(), a.recallMicro());
            }
        }
    }

    @Test
    void unlabeledRowsAreIgnored()
    {
        final Dataset iris = Iris.load();
        final int[] labels = labels(iris);
        for (int i = 0; i < labels.length; i += 2)
        {
            labels[i] = Dataset.UNLABELED;
        }
        final DeepModel model = Fits.fit(new LogisticRegressionFamily(), iris.withLabels(labels),
            Map.of("epochs", 40, "learning_rate", 0.05), new FitContext(Comm.self(), 3, RunHooks.NONE));
        final ClassificationMetrics metrics =
            new ClassificationMetrics(ConfusionMatrix.of(3, labels(iris), model.predict(iris)));
        assertTrue(metrics.accuracy() > 0.85, "accuracy " + metrics.accuracy());
    }

    private static int[] labels(final Dataset data)
    {
        final int[] y = new int[data.size()];
        for (int i = 0; i < y.length; i++)
        {
            y[i] = data.label(i);
        }
        return y;
    }
}
