package io.slipstream.trainer.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StratifiedKFoldTest
{
    @Test
    void matchesScikitLearnAllocationWithoutShuffle()
    {
        // sklearn StratifiedKFold(3).split(X, y) for y = [0,0,0,0,1,1,1,1,1,1] gives test folds
        // [0,1,4,5], [2,6,7], [3,8,9]: sorted labels dealt round-robin give class 0 -> 2,1,1 and class 1 -> 2,2,2.
        final int[] y = {0, 0, 0, 0, 1, 1, 1, 1, 1, 1};
        final Fold[] folds = StratifiedKFold.split(y, 2, 3, false, 0);
        assertArrayEquals(new int[]{0, 1, 4, 5}, folds[0].test());
        assertArrayEquals(new int[]{2, 6, 7}, folds[1].test());
        assertArrayEquals(new int[]{3, 8, 9}, folds[2].test());
        assertArrayEquals(new int[]{2, 3, 6, 7, 8, 9}, folds[0].train());
    }

    @Test
    void foldsPartitionTheRowsAndKeepClassShares()
    {
        final Dataset iris = Iris.load();
        final int[] y = StratifiedKFold.labelsOf(iris);
        final Fold[] folds = StratifiedKFold.split(y, 3, 5, true, 7);
        final int[] seen = new int[y.length];
        for (final Fold fold : folds)
        {
            assertEquals(30, fold.test().length);
            assertEquals(120, fold.train().length);
            final int[] perClass = new int[3];
            for (final int i : fold.test())
            {
                seen[i]++;
                perClass[y[i]]++;
            }
            assertArrayEquals(new int[]{10, 10, 10}, perClass);
        }
        for (final int s : seen)
        {
            assertEquals(1, s);
        }
    }

    @Test
    void shuffleIsSeededAndDeterministic()
    {
        final int[] y = StratifiedKFold.labelsOf(Iris.load());
        final Fold[] a = StratifiedKFold.split(y, 3, 5, true, 11);
        final Fold[] b = StratifiedKFold.split(y, 3, 5, true, 11);
        final Fold[] c = StratifiedKFold.split(y, 3, 5, true, 12);
        assertArrayEquals(a[2].test(), b[2].test());
        assertNotEquals(Arrays.toString(a[2].test()), Arrays.toString(c[2].test()));
    }

    @Test
    void impossibleFoldCountsAreRejected()
    {
        final int[] y = {0, 0, 0, 1, 1, 1, 1, 1};
        final DataException ex = assertThrows(DataException.class, () -> StratifiedKFold.split(y, 2, 4, false, 0));
        assertTrue(ex.getMessage().contains("smallest class has only 3"), ex.getMessage());
        assertThrows(DataException.class, () -> StratifiedKFold.split(y, 2, 1, false, 0));
    }

    @Test
    void unlabeledRowsAreSpreadAsTheirOwnStratum()
    {
        final int[] y = {0, 0, 1, 1, -1, -1, -1, -1};
        final Fold[] folds = StratifiedKFold.split(y, 2, 2, false, 0);
        for (final Fold fold : folds)
        {
            int unlabeled = 0;
            for (final int i : fold.test())
            {
                unlabeled += y[i] == -1 ? 1 : 0;
            }
            assertEquals(2, unlabeled);
        }
    }
}
