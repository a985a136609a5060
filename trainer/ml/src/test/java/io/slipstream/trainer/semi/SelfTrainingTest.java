package io.slipstream.trainer.semi;

import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.data.Iris;
import io.slipstream.trainer.data.LabelMask;
import io.slipstream.trainer.forest.RandomForest;
import io.slipstream.trainer.forest.RandomForestFamily;
import io.slipstream.trainer.model.Classifier;
import io.slipstream.trainer.model.FitContext;
import io.slipstream.trainer.model.RunHooks;
import io.slipstream.trainer.testing.Ranks;
import io.slipstream.trainer.testing.Fits;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SelfTrainingTest
{
    private static final Dataset IRIS = Iris.load();
    private static final RandomForestFamily FOREST = new RandomForestFamily();
    private static final SelfTrainingFamily FAMILY = new SelfTrainingFamily(name ->
    {
        if (!name.equals("random_forest"))
        {
            throw new IllegalArgumentException("unknown base " + name);
        }
        return FOREST;
    });

    private static SelfTrainingModel fit(final Dataset data, final Map<String, Object> params)
    {
        return (SelfTrainingModel)Fits.fit(FAMILY, data, params, new FitContext(Ranks.solo(), 3, RunHooks.NONE));
    }

    @Test
    void labelMaskKeepsTheAskedShareOfEachClass()
    {
        final Dataset masked = LabelMask.keepFraction(IRIS, 0.1, 1);
        final int[] kept = new int[3];
        for (int i = 0; i < masked.size(); i++)
        {
            if (masked.label(i) != Dataset.UNLABELED)
            {
                kept[masked.label(i)]++;
                assertEquals(IRIS.label(i), masked.label(i));
            }
        }
        assertArrayEquals(new int[]{5, 5, 5}, kept);
    }

    @Test
    void pseudoLabelsUnlabeledRowsAboveTheThreshold()
    {
        final Dataset masked = LabelMask.keepFraction(IRIS, 0.1, 1);
        final SelfTrainingModel model = fit(masked, Map.of("threshold", 0.7, "base.n_estimators", 30));
        assertEquals(15, model.labeled());
        assertTrue(model.pseudoLabeled() > 100, "pseudo-labeled " + model.pseudoLabeled());
        assertTrue(model.iterations() >= 1 && model.iterations() <= 10);
        int correct = 0;
        final int[] predicted = model.predict(IRIS);
        for (int i = 0; i < predicted.length; i++)
        {
            correct += predicted[i] == IRIS.label(i) ? 1 : 0;
        }
        assertTrue(correct >= 135, "correct " + correct);
    }

    @Test
    void aStricterThresholdAndFewerRoundsAddFewerPseudoLabels()
    {
        final Dataset masked = LabelMask.keepFraction(IRIS, 0.1, 1);
        final SelfTrainingModel loose = fit(masked, Map.of("threshold", 0.5, "base.n_estimators", 30));
        final SelfTrainingModel strict = fit(masked, Map.of("threshold", 0.99, "base.n_estimators", 30));
        final SelfTrainingModel oneRound = fit(masked, Map.of("threshold", 0.5, "max_iter", 1,
            "base.n_estimators", 30));
        assertTrue(strict.pseudoLabeled() < loose.pseudoLabeled(),
            strict.pseudoLabeled() + " vs " + loose.pseudoLabeled());
        assertEquals(1, oneRound.iterations());
        assertTrue(oneRound.pseudoLabeled() <= loose.pseudoLabeled());
    }

    @Test
    void fullyLabeledDataFitsTheBaseOnce()
    {
        final SelfTrainingModel model = fit(IRIS, Map.of("base.n_estimators", 10));
        assertEquals(0, model.iterations());
        assertEquals(0, model.pseudoLabeled());
        assertEquals(150, model.labeled());
    }

    @Test
    void badParametersAreRejected()
    {
        assertThrows(IllegalArgumentException.class, () -> fit(IRIS, Map.of("threshold", 1.5)));
        assertThrows(IllegalArgumentException.class, () -> fit(IRIS, Map.of("rounds", 3)));
        assertThrows(IllegalArgumentException.class, () -> fit(IRIS, Map.of("base", "svm")));
        assertThrows(IllegalArgumentException.class, () -> fit(IRIS, Map.of("base", "self_training")));
        final int[] none = new int[IRIS.size()];
        Arrays.fill(none, Dataset.UNLABELED);
        assertThrows(IllegalArgumentException.class, () -> fit(IRIS.withLabels(none), Map.of()));
    }

    @Test
    void exportsToOnnxAsItsForestDoes() throws Exception
    {
        final SelfTrainingModel model = fit(LabelMask.keepFraction(IRIS, 0.5, 2), Map.of("base.n_estimators", 5));
        assertTrue(model.exportsOnnx());
        final ByteArrayOutputStream wrapped = new ByteArrayOutputStream();
        model.writeOnnx(wrapped);
        final ByteArrayOutputStream forest = new ByteArrayOutputStream();
        ((RandomForest)model.base()).writeOnnx(forest);
        assertArrayEquals(forest.toByteArray(), wrapped.toByteArray());
    }

    @Test
    void aBaseWithoutAnOnnxExportSaysSo()
    {
        final Classifier noExport = new Classifier()
        {
            @Override
            public double[][] predictProba(final Dataset data)
            {
                return new double[data.size()][1];
            }

            @Override
            public int[] predict(final Dataset data)
            {
                return new int[data.size()];
            }

            @Override
            public String fileName()
            {
                return "constant.txt";
            }

            @Override
            public void writeTo(final OutputStream out)
            {
            }
        };
        final SelfTrainingModel model = new SelfTrainingModel(noExport, 1, 0, 10);
        assertFalse(model.exportsOnnx());
        final UnsupportedOperationException ex = assertThrows(UnsupportedOperationException.class,
            () -> model.writeOnnx(new ByteArrayOutputStream()));
        assertTrue(ex.getMessage().contains("has no ONNX export"), ex.getMessage());
    }
}
