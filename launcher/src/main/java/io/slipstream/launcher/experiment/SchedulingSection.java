package io.slipstream.launcher.experiment;

import io.slipstream.launcher.spec.SpecException;
import io.slipstream.launcher.spec.SpecNode;
import io.slipstream.trainer.tasks.SchedulingPolicy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code scheduling} section: {@code policy} ({@code largest_cost_first} (default) or
 * {@code in_order}), {@code retries} (0), {@code tasks_per_wave} (per group, 16; 0 = no limit) and
 * {@code priorities}: rules {@code {match: {param: value, ...}, priority: N}}; a setting takes the highest
 * priority of the rules it matches (0 when none), and higher priorities run first.
 */
record SchedulingSection(SchedulingPolicy policy, List<Rule> priorities)
{
    record Rule(Map<String, Object> match, int priority)
    {
    }

    static SchedulingSection parse(final SpecNode scheduling)
    {
        scheduling.allowOnly("policy", "retries", "tasks_per_wave", "priorities");
        final SchedulingPolicy policy = new SchedulingPolicy(scheduling.choice("policy", "largest_cost_first",
            "largest_cost_first", "in_order").equals("largest_cost_first"),
            (int)scheduling.integer("retries", 0, 0, 100),
            (int)scheduling.integer("tasks_per_wave", SchedulingPolicy.DEFAULT_TASKS_PER_GROUP, 0, 1_000_000));
        final List<Rule> rules = new ArrayList<>();
        if (scheduling.has("priorities"))
        {
            final List<Object> raw = scheduling.list("priorities");
            for (int i = 0; i < raw.size(); i++)
            {
                final String path = scheduling.pathOf("priorities") + "[" + i + "]";
                if (!(raw.get(i) instanceof Map))
                {
                    throw new SpecException(path, "expected {match: {param: value}, priority: N}, found " +
                        SpecNode.describe(raw.get(i)));
                }
                final SpecNode rule = SpecNode.of(path, SearchSection.stringKeys(path, (Map<?, ?>)raw.get(i)))
                    .allowOnly("match", "priority");
                final SpecNode match = rule.child("match");
                final Map<String, Object> values = new LinkedHashMap<>();
                for (final String key : match.keys())
                {
                    values.put(key, SearchSection.scalar(match.pathOf(key), match.raw(key)));
                }
                rules.add(new Rule(values, (int)rule.integer("priority", 0, -1_000_000, 1_000_000)));
            }
        }
        return new SchedulingSection(policy, List.copyOf(rules));
    }

    int priorityOf(final Map<String, Object> setting)
    {
        int best = Integer.MIN_VALUE;
        for (final Rule rule : priorities)
        {
            boolean matches = true;
            for (final Map.Entry<String, Object> e : rule.match().entrySet())
            {
                matches &= setting.containsKey(e.getKey()) && Objects.equals(setting.get(e.getKey()), e.getValue());
            }
            if (matches)
            {
                best = Math.max(best, rule.priority());
            }
        }
        return best == Integer.MIN_VALUE ? 0 : best;
    }
}
