package io.slipstream.trainer.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TrainTestSplitTest
{
    @Test
    void stratifiedSplitKeepsClassSharesAndIsSeeded()
    {
        final Dataset iris = Iris.load();
        final TrainTestSplit split = TrainTestSplit.stratified(iris, 0.2, 42);
        assertEquals(120, split.train().length);
        assertEquals(30, split.test().length);
        final int[] perClass = new int[3];
        for (final int i : split.test())
        {
            perClass[iris.label(i)]++;
        }
        assertArrayEquals(new int[]{10, 10, 10}, perClass);
        assertEquals(split, TrainTestSplit.stratified(iris, 0.2, 42));
        assertNotEquals(split, TrainTestSplit.stratified(iris, 0.2, 43));
        final boolean[] seen = new boolean[150];
        for (final int i : split.train())
        {
            seen[i] = true;
        }
        for (final int i : split.test())
        {
            assertEquals(false, seen[i]);
        }
    }

    @Test
    void unevenClassesUseLargestRemainder()
    {
        final double[][] x = new double[10][];
        final int[] y = {0, 0, 0, 0, 0, 0, 0, 1, 1, 1};
        for (int i = 0; i < 10; i++)
        {
            x[i] = new double[]{i};
        }
        final Dataset d = new Dataset(x, y, new String[]{"a"}, new String[]{"p", "q"});
        final TrainTestSplit split = TrainTestSplit.stratified(d, 0.3, 1);
        int ones = 0;
        for (final int i : split.test())
        {
            ones += y[i];
        }
        assertEquals(3, split.test().length);
        assertEquals(1, ones);
    }

    @Test
    void badFractionsAreRejected()
    {
        final Dataset iris = Iris.load();
        assertThrows(DataException.class, () -> TrainTestSplit.stratified(iris, 0.0, 1));
        assertThrows(DataException.class, () -> TrainTestSplit.stratified(iris, 1.0, 1));
    }
}
