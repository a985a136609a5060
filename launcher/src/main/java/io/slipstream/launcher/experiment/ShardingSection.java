package io.slipstream.launcher.experiment;

import io.slipstream.launcher.spec.SpecNode;

import java.util.Arrays;

/**
 * The {@code sharding} section, for fits that read their group's rows data-parallel: {@code strategy}
 * ({@code random}, {@code ordered} (default) or {@code partitioned}) and, for partitioned, the feature
 * {@code column} to partition by.
 */
public record ShardingSection(String strategy, String column)
{
    static ShardingSection parse(final SpecNode sharding, final String[] features)
    {
        sharding.allowOnly("strategy", "column");
        final String strategy = sharding.choice("strategy", "ordered", "random", "ordered", "partitioned");
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
