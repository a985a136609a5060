package io.slipstream.trainer.cv;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CvTableTest
{
    @Test
    void meansPopulationStdAndMinRanksLikeScikitLearn()
    {
        final double[][] scores = {{0.5, 0.7}, {0.9, 0.9}, {0.8, 1.0}, {0.2, 0.4}};
        final double[][] zeros = new double[4][2];
        final CvTable t = new CvTable(List.of(Map.of("a", 1), Map.of("a", 2), Map.of("a", 3), Map.of("a", 4)), scores,
            zeros, zeros);
        assertEquals(0.6, t.meanScore(0), 1e-12);
        assertEquals(0.1, t.stdScore(0), 1e-12);
        assertEquals(0.0, t.stdScore(1), 1e-12);
        // Settings 1 and 2 tie at 0.9: both rank 1, the next rank is 3; the first of the tie is the best.
        assertEquals(1, t.rank(1));
        assertEquals(1, t.rank(2));
        assertEquals(3, t.rank(0));
        assertEquals(4, t.rank(3));
        assertEquals(1, t.bestIndex());
    }

    @Test
    void nanScoresRankLast()
    {
        final double[][] scores = {{Double.NaN}, {0.1}};
        final double[][] zeros = new double[2][1];
        final CvTable t = new CvTable(List.of(Map.of("a", 1), Map.of("a", 2)), scores, zeros, zeros);
        assertEquals(2, t.rank(0));
        assertEquals(1, t.bestIndex());
    }
}
