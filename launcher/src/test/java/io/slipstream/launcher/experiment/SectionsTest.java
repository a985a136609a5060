package io.slipstream.launcher.experiment;

import io.slipstream.launcher.spec.SpecException;
import io.slipstream.launcher.spec.SpecNode;
import io.slipstream.trainer.search.Distribution;
import io.slipstream.trainer.tasks.ExecutionMode;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        final ModelFamilies.Entry forest = ModelFamilies.standard().entry("random_forest", "model.family");
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
}
