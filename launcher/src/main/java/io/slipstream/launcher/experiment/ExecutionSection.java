package io.slipstream.launcher.experiment;

import io.slipstream.launcher.spec.SpecNode;
import io.slipstream.trainer.tasks.ExecutionMode;

import java.util.Locale;

/**
 * The {@code execution} section: {@code mode} ({@code serial}, {@code parallel} (default) or
 * {@code hybrid}) and, for hybrid, {@code group_size} (2): the ranks that run each fit together.
 */
record ExecutionSection(ExecutionMode mode, int groupSize)
{
    static ExecutionSection parse(final SpecNode execution)
    {
        execution.allowOnly("mode", "group_size");
        final ExecutionMode mode = ExecutionMode.valueOf(execution.choice("mode", "parallel", "serial", "parallel",
            "hybrid").toUpperCase(Locale.ROOT));
        if (execution.has("group_size") && mode != ExecutionMode.HYBRID)
        {
            throw execution.error("group_size", "is only used with mode: hybrid (serial runs on rank 0, parallel " +
                "uses groups of one)");
        }
        return new ExecutionSection(mode, (int)execution.integer("group_size", 2, 1, 1_000_000));
    }
}
