package io.slipstream.launcher.experiment;

import io.slipstream.launcher.spec.SpecNode;

import java.util.Arrays;

/**
 * The {@code sharding} section, for fits that read their group's rows data-parallel: {@code strategy}
 * ({@code random} (default, also without the section), {@code ordered} or {@code partitioned}) and, for
 * partitioned, the feature {@code column} to partition by. Random is the default because it is the one plan
 * whose epoch order no world size changes, so only its checkpoints resume on another number of ranks.
 */
public record ShardingSection(String strategy, String column)
{
    /** The default strategy: a spec without the section, or without {@code strategy}, shards at random. */
    public static final String DEFAULT_STRATEGY = "random";
    /** The plan of a spec without a {@code sharding} section. */
    public static final ShardingSection DEFAULT = new ShardingSection(DEFAULT_STRATEGY, null);

    static ShardingSection parse(final SpecNode sharding, final String[] features)
    {
        sharding.allowOnly("strategy", "column");
        final String strategy =
            sharding.choice("strategy", DEFAULT_STRATEGY, "random", "ordered", "partitioned");
        final String column = sharding.has("column") ? sharding.string("column") : null;
        if (strategy.equals("partitioned") != (column != null))
        {
            throw sharding.error("column", strategy.equals("partitioned") ?
                "is missing; partitioned sharding needs the feature column to partition by" :
                "is only used with strategy: partitioned");
        }
        if (column != null && !Arrays.asList(features).contains(column))
        {
            throw sharding.error("column", "'" + column + "' is not a feature; use one of " +
                String.join(", ", features));
        }
        return new ShardingSection(strategy, column);
    }
}
