package io.slipstream.trainer.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClassificationMetricsTest
{
    private static final double EPS = 1e-12;
    // Matrix rows (actual): [2 1 0], [0 2 0], [2 0 2]; support 3,2,4; predicted 4,3,2; tp 2,2,2.
    private static final int[] ACTUAL = {0, 0, 0, 1, 1, 2, 2, 2, 2};
    private static final int[] PREDICTED = {0, 0, 1, 1, 1, 2, 2, 0, 0};

    @Test
    void confusionMatrixCountsPairs()
    {
        final ConfusionMatrix m = ConfusionMatrix.of(3, ACTUAL, PREDICTED);
        assertArrayEquals(new long[]{2, 1, 0, 0, 2, 0, 2, 0, 2}, m.toLongArray());
        assertEquals(9, m.total());
        assertEquals(4, m.support(2));
        assertEquals(4, m.predictedCount(0));
    }

    @Test
    void perClassScoresMatchHandComputedValues()
    {
        final ClassificationMetrics m = new ClassificationMetrics(ConfusionMatrix.of(3, ACTUAL, PREDICTED));
        assertEquals(6.0 / 9, m.accuracy(), EPS);
        assertEquals(0.5, m.precision(0), EPS);
        assertEquals(2.0 / 3, m.precision(1), EPS);
        assertEquals(1.0, m.precision(2), EPS);
        assertEquals(2.0 / 3, m.recall(0), EPS);
        assertEquals(1.0, m.recall(1), EPS);
        assertEquals(0.5, m.recall(2), EPS);
        assertEquals(4.0 / 7, m.f1(0), EPS);
        assertEquals(0.8, m.f1(1), EPS);
        assertEquals(2.0 / 3, m.f1(2), EPS);
    }

    @Test
    void averagesMatchHandComputedValues()
    {
        final ClassificationMetrics m = new ClassificationMetrics(ConfusionMatrix.of(3, ACTUAL, PREDICTED));
        assertEquals(13.0 / 18, m.precisionMacro(), EPS);
        assertEquals(13.0 / 18, m.recallMacro(), EPS);
        assertEquals(214.0 / 315, m.f1Macro(), EPS);
        assertEquals(41.0 / 54, m.precisionWeighted(), EPS);
        assertEquals(6.0 / 9, m.recallWeighted(), EPS);
        assertEquals(628.0 / 945, m.f1Weighted(), EPS);
        assertEquals(6.0 / 9, m.precisionMicro(), EPS);
        assertEquals(6.0 / 9, m.recallMicro(), EPS);
        assertEquals(6.0 / 9, m.f1Micro(), EPS);
    }

    @Test
    void zeroDivisionGivesZeroAndAbsentClassesAreLeftOutOfAverages()
    {
        // Four declared classes; class 2 is never predicted, class 3 never occurs at all.
        final int[] actual = {0, 0, 1, 2};
        final int[] predicted = {0, 1, 1, 1};
        final ClassificationMetrics m = new ClassificationMetrics(ConfusionMatrix.of(4, actual, predicted));
        assertEquals(0.0, m.precision(2), EPS);
        assertEquals(0.0, m.recall(2), EPS);
        assertEquals(0.0, m.f1(2), EPS);
        assertEquals(0.0, m.precision(3), EPS);
        // Macro over classes 0..2 only: precision (1 + 1/3 + 0) / 3, recall (1/2 + 1 + 0) / 3.
        assertEquals((1.0 + 1.0 / 3) / 3, m.precisionMacro(), EPS);
        assertEquals(1.5 / 3, m.recallMacro(), EPS);
        // f1: class 0 = 2/(2+1), class 1 = 2/(1+3), class 2 = 0.
        assertEquals((2.0 / 3 + 0.5) / 3, m.f1Macro(), EPS);
        assertEquals(0.5, m.accuracy(), EPS);
    }

    @Test
    void emptyMatrixScoresZero()
    {
        final ClassificationMetrics m = new ClassificationMetrics(new ConfusionMatrix(3));
        assertEquals(0.0, m.accuracy(), EPS);
        assertEquals(0.0, m.f1Macro(), EPS);
        assertEquals(0.0, m.precisionWeighted(), EPS);
        assertEquals(0.0, m.recallMicro(), EPS);
    }

    @Test
    void mergeAndFlatCountsAddUp()
    {
        final ConfusionMatrix a = ConfusionMatrix.of(3, new int[]{0, 1}, new int[]{0, 2});
        final ConfusionMatrix b = ConfusionMatrix.of(3, new int[]{2, 1}, new int[]{2, 2});
        final ConfusionMatrix sum = ConfusionMatrix.fromLongArray(3, a.toLongArray());
        sum.merge(b);
        assertArrayEquals(new long[]{1, 0, 0, 0, 0, 2, 0, 0, 1}, sum.toLongArray());
        assertEquals(sum, ConfusionMatrix.of(3, new int[]{0, 1, 2, 1}, new int[]{0, 2, 2, 2}));
    }

    @Test
    void adjustedRandIndexMatchesKnownValues()
    {
        // Same partition under other names.
        assertEquals(1.0, AdjustedRandIndex.score(new int[]{0, 0, 1, 1}, new int[]{1, 1, 0, 0}), EPS);
        // scikit-learn: adjusted_rand_score([0, 0, 1, 2], [0, 0, 1, 1]) = 0.5714285714285715 (4/7).
        assertEquals(4.0 / 7, AdjustedRandIndex.score(new int[]{0, 0, 1, 2}, new int[]{0, 0, 1, 1}), EPS);
        // scikit-learn: adjusted_rand_score([0, 0, 1, 1], [0, 1, 0, 1]) = -0.5.
        assertEquals(-0.5, AdjustedRandIndex.score(new int[]{0, 0, 1, 1}, new int[]{0, 1, 0, 1}), EPS);
    }

    @Test
    void badInputIsRejected()
    {
        final ConfusionMatrix m = new ConfusionMatrix(3);
        assertThrows(IllegalArgumentException.class, () -> m.add(3, 0));
        assertThrows(IllegalArgumentException.class, () -> m.add(0, -1));
        assertThrows(IllegalArgumentException.class, () -> m.merge(new ConfusionMatrix(2)));
        assertThrows(IllegalArgumentException.class, () -> m.addCounts(new long[4]));
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(3, new int[2], new int[3]));
    }
}
