package io.slipstream.trainer.search;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SearchTest
{
    @Test
    void gridIteratesSortedKeysWithTheLastFastestLikeScikitLearn()
    {
        final List<Map<String, Object>> s = new Search.Grid(Map.of("b", List.of(1, 2), "a", Arrays.asList(null, "x")))
            .settings();
        assertEquals(4, s.size());
        assertEquals("{a: null, b: 1}", Settings.text(s.get(0)));
        assertEquals("{a: null, b: 2}", Settings.text(s.get(1)));
        assertEquals("{a: 'x', b: 1}", Settings.text(s.get(2)));
        assertEquals(List.of("a", "b"), List.copyOf(s.get(3).keySet()));
        assertThrows(IllegalArgumentException.class, () -> new Search.Grid(Map.of("a", List.of())));
    }

    @Test
    void referenceGridHas108Settings()
    {
        final List<Map<String, Object>> s = new Search.Grid(Map.of("n_estimators", List.of(100, 200, 300),
            "max_depth", Arrays.asList(null, 10, 20, 30), "min_samples_split", List.of(2, 5, 10),
            "min_samples_leaf", List.of(1, 2, 4))).settings();
        assertEquals(108, s.size());
        assertEquals(108, new HashSet<>(s).size());
    }

    @Test
    void randomSearchIsSeededAndRespectsRanges()
    {
        final Map<String, Distribution> space = Map.of(
            "lr", new Distribution.Range(1e-4, 1e-1, true, false),
            "units", new Distribution.Range(8, 64, false, true),
            "act", new Distribution.Choice(List.of("relu", "tanh")));
        final List<Map<String, Object>> a = new Search.Random(space, 50, 9).settings();
        assertEquals(a, new Search.Random(space, 50, 9).settings());
        assertTrue(!a.equals(new Search.Random(space, 50, 10).settings()));
        for (final Map<String, Object> s : a)
        {
            final double lr = (Double)s.get("lr");
            final int units = (Integer)s.get("units");
            assertTrue(lr >= 1e-4 && lr <= 1e-1);
            assertTrue(units >= 8 && units <= 64);
        }
    }

    @Test
    void randomSearchOverListsDrawsWithoutReplacement()
    {
        final Map<String, Distribution> space = Map.of("a", new Distribution.Choice(List.of(1, 2, 3)),
            "b", new Distribution.Choice(List.of("x", "y")));
        assertEquals(6, new HashSet<>(new Search.Random(space, 4, 1).settings()).size() + 2);
        assertEquals(6, new Search.Random(space, 100, 1).settings().size());
        // Every drawn setting is a real grid setting, and a big all-list space is not enumerated.
        final List<Map<String, Object>> grid = new Search.Grid(Map.of("a", List.of(1, 2, 3), "b", List.of("x", "y")))
            .settings();
        assertTrue(grid.containsAll(new Search.Random(space, 5, 3).settings()));
        final Map<String, Distribution> huge = new HashMap<>();
        for (int k = 0; k < 12; k++)
        {
            huge.put("p" + k, new Distribution.Choice(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)));
        }
        assertEquals(4, new Search.Random(huge, 4, 1).settings().size());
    }

    @Test
    void integerRangesCoverBothEnds()
    {
        final Distribution.Range r = new Distribution.Range(1, 3, false, true);
        final SplittableRandom random = new SplittableRandom(1);
        final HashSet<Object> seen = new HashSet<>();
        for (int i = 0; i < 200; i++)
        {
            seen.add(r.sample(random));
        }
        assertEquals(new HashSet<>(List.of(1, 2, 3)), seen);
        assertThrows(IllegalArgumentException.class, () -> new Distribution.Range(0, 1, true, false));
        assertThrows(IllegalArgumentException.class, () -> new Distribution.Range(2, 1, false, false));
    }

    @Test
    void mergeRejectsAParameterThatIsBothFixedAndSearched()
    {
        assertEquals("{a: 1, b: 2}", Settings.text(Settings.merge(Map.of("a", 1), Map.of("b", 2))));
        assertThrows(IllegalArgumentException.class, () -> Settings.merge(Map.of("a", 1), Map.of("a", 2)));
    }

    @Test
    void aGridIsCountedWithoutExpandingIt()
    {
        final Map<String, List<Object>> huge = new java.util.TreeMap<>();
        for (int k = 0; k < 7; k++)
        {
            huge.put("p" + k, List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        }
        assertEquals(10_000_000L, Search.Grid.count(huge));
        for (int k = 7; k < 30; k++)
        {
            huge.put("p" + k, List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        }
        assertEquals(Long.MAX_VALUE, Search.Grid.count(huge), "10^30 saturates instead of overflowing");
        assertThrows(IllegalArgumentException.class, () -> new Search.Grid(huge).settings());
        assertEquals(6, Search.Grid.count(Map.of("a", List.of(1, 2), "b", List.of(1, 2, 3))));
    }
}
