package io.slipstream.launcher.experiment;

import io.slipstream.launcher.spec.SpecException;
import io.slipstream.launcher.spec.SpecNode;
import io.slipstream.trainer.model.ModelFamily;
import io.slipstream.trainer.search.Distribution;
import io.slipstream.trainer.tasks.ExecutionMode;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SectionsTest
{
    private static SpecNode node(final String yaml)
    {
        return SpecNode.parse(yaml, "test.yaml").child("s");
    }

    @Test
    void priorityRulesTakeTheHighestMatchAndMayBeNegative()
    {
        final SchedulingSection s = SchedulingSection.parse(node("s: {priorities: [" +
            "{match: {n_estimators: 300}, priority: 5}, {match: {n_estimators: 300, max_depth: null}, priority: 9}, " +
            "{match: {n_estimators: 100}, priority: -2}]}"));
        assertEquals(9, s.priorityOf(withNullDepth(300)));
        assertEquals(5, s.priorityOf(Map.of("n_estimators", 300, "max_depth", 10)));
        assertEquals(-2, s.priorityOf(Map.of("n_estimators", 100)));
        assertEquals(0, s.priorityOf(Map.of("n_estimators", 200)));
        assertEquals(16, s.policy().tasksPerGroup());
        final SpecException ex = assertThrows(SpecException.class,
            () -> SchedulingSection.parse(node("s: {priorities: [{match: {a: 1}, prio: 1}]}")));
        assertEquals("s.priorities[0].prio", ex.path());
    }

    private static Map<String, Object> withNullDepth(final int trees)
    {
        final Map<String, Object> m = new HashMap<>();
        m.put("n_estimators", trees);
        m.put("max_depth", null);
        return m;
    }

    @Test
    void searchSectionsBuildTheirSearches()
    {
        final ModelFamily<?> forest = ModelFamilies.standard().family("random_forest", "model.family");
        final SearchSection random = SearchSection.parse(node("s: {strategy: random, trials: 5, seed: 3, space: " +
            "{n_estimators: {low: 10, high: 50, int: true}, max_depth: [null, 3]}}"), forest);
        assertEquals(5, random.search(0).settings().size());
        assertEquals(random.search(0).settings(), random.search(99).settings());
        assertTrue(random.space().get("n_estimators") instanceof Distribution.Range);
        final SearchSection manual = SearchSection.parse(node("s: {settings: [{n_estimators: 5}, " +
            "{hidden_layers: [32, 16]}]}"), forest);
        assertEquals(List.of(32, 16), manual.search(0).settings().get(1).get("hidden_layers"));
        final SearchSection auto = SearchSection.parse(node("s: {strategy: auto, trials: 3}"), forest);
        assertEquals(3, auto.search(1).settings().size());
        final SpecException ex = assertThrows(SpecException.class,
            () -> SearchSection.parse(node("s: {strategy: grid, grid: {max_depth: 3}}"), forest));
        assertTrue(ex.getMessage().contains("write [3] for a single value"), ex.getMessage());
        assertThrows(SpecException.class, () -> SearchSection.parse(node("s: {strategy: grid, grid: " +
            "{max_depth: [{a: 1}]}}"), forest));
        assertEquals(Arrays.asList(null, 3), random.space().get("max_depth") instanceof Distribution.Choice c ?
            c.values() : null);
    }

    @Test
    void executionAndOutputSections()
    {
        assertEquals(new ExecutionSection(ExecutionMode.HYBRID, 4),
            ExecutionSection.parse(node("s: {mode: hybrid, group_size: 4}")));
        assertEquals(ExecutionMode.PARALLEL, ExecutionSection.parse(node("s: {}")).mode());
        assertEquals(new OutputSection(false, true), OutputSection.parse(node("s: {save_model: false}")));
        assertThrows(SpecException.class, () -> OutputSection.parse(node("s: {save: false}")));
    }

    @Test
    void aGridIsCountedAgainstItsLimitBeforeItIsExpanded()
    {
        final ModelFamily<?> forest = ModelFamilies.standard().family("random_forest", "model.family");
        final StringBuilder grid = new StringBuilder("s: {strategy: grid, grid: {");
        for (int k = 0; k < 7; k++)
        {
            grid.append(k == 0 ? "" : ", ").append("p").append(k).append(": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]");
        }
        final String huge = grid + "}}";
        final SpecException ex = assertThrows(SpecException.class, () -> SearchSection.parse(node(huge), forest));
        assertTrue(ex.getMessage().contains("10000000 settings (the product of the list lengths) exceed " +
            "search.max_settings 100000"), ex.getMessage());
        assertFalse(ex.getMessage().contains("\n"));
        final String limited = "s: {strategy: grid, max_settings: 5, grid: {a: [1, 2], b: [1, 2, 3]}}";
        assertTrue(assertThrows(SpecException.class, () -> SearchSection.parse(node(limited), forest)).getMessage()
            .contains("6 settings (the product of the list lengths) exceed search.max_settings 5"));
        assertEquals(6, SearchSection.parse(node(limited.replace("max_settings: 5", "max_settings: 6")), forest)
            .search(0).settings().size());
    }
}
