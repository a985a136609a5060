package io.slipstream.trainer.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneratorsTest
{
    @Test
    void blobsAreSeededAndClusteredAroundTheirCenters()
    {
        final Dataset a = Blobs.generate(300, 3, 2, 0.5, 5);
        final Dataset b = Blobs.generate(300, 3, 2, 0.5, 5);
        assertEquals(300, a.size());
        assertArrayEquals(a.row(17), b.row(17));
        // Rows of one blob lie within a few standard deviations of each other.
        for (int f = 0; f < 2; f++)
        {
            assertTrue(Math.abs(a.feature(0, f) - a.feature(3, f)) < 6 * 0.5 * Math.sqrt(2));
        }
        assertEquals(a.label(0), a.label(3));
        assertThrows(DataException.class, () -> Blobs.generate(10, 0, 2, 1.0, 1));
    }

    @Test
    void classificationSetHasBalancedClassesAndSeparatedMeans()
    {
        final Dataset d = SyntheticClassification.generate(4000, 10, 4, 4, 2.0, 3);
        assertEquals(10, d.numFeatures());
        final double[][] mean = new double[4][4];
        final int[] count = new int[4];
        for (int i = 0; i < d.size(); i++)
        {
            count[d.label(i)]++;
            for (int f = 0; f < 4; f++)
            {
                mean[d.label(i)][f] += d.feature(i, f);
            }
        }
        assertArrayEquals(new int[]{1000, 1000, 1000, 1000}, count);
        for (int c = 0; c < 4; c++)
        {
            for (int f = 0; f < 4; f++)
            {
                assertEquals(2.0, Math.abs(mean[c][f] / count[c]), 0.2);
            }
        }
        assertArrayEquals(d.row(99), SyntheticClassification.generate(4000, 10, 4, 4, 2.0, 3).row(99));
        assertThrows(DataException.class, () -> SyntheticClassification.generate(100, 3, 1, 3, 1.0, 1));
    }
}
