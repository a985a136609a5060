package io.slipstream.launcher.workload;

import io.slipstream.launcher.job.Job;
import io.slipstream.launcher.spec.SpecNode;

import java.util.Set;

/**
 * Jobs that exercise the machinery rather than learn: a spec with a {@code workload:} section.
 *
 * <pre>
 * name: smoke
 * workload:
 *   kind: smoke            # smoke | sleep | bench
 *   rounds: 3              # smoke: rounds of allreduce, broadcast, allgather, barrier
 *   elements: 4096         # smoke: floats per allreduce
 *   seconds: 10            # sleep: how long to hold the world
 *   step_ms: 100           # sleep: how often the ranks agree on a stop request
 *   requeue: false         # sleep: after a stop's checkpoint, rank 0 runs scontrol requeue (under SLURM)
 *   min_bytes: 8           # bench: sizes double from min_bytes to max_bytes (4096, 64K, 1M, ...)
 *   max_bytes: 64M
 *   iterations: 200        # bench: timed iterations per size (fewer for large sizes)
 *   warmup: 20             # bench: untimed iterations per size
 *   type: float32          # bench: float32 | float64 | int32 | int64
 *   op: sum                # bench: sum | max | min
 *   fail:                  # optional, smoke and sleep: inject a failure to test the world's reaction
 *     rank: 1
 *     after_rounds: 1      # round (smoke) or step (sleep) at which it fires
 *     how: exit            # exit | halt (crash, no clean-up) | hang (stop calling collectives)
 *     exit_code: 7
 * </pre>
 */
public final class WorkloadJob
{
    public static final Set<String> KINDS = Set.of("smoke", "sleep", "bench");

    private WorkloadJob()
    {
    }

    /** Validates the spec's {@code workload} section; unknown keys are refused naming their path. */
    public static Job fromSpec(final SpecNode root)
    {
        final SpecNode workload = root.child("workload");
        final String kind = workload.choice("kind", "smoke", "smoke", "sleep", "bench");
        final FailurePlan failure;
        switch (kind)
        {
            case "bench":
            {
                workload.allowOnly("kind", "min_bytes", "max_bytes", "iterations", "warmup", "type", "op");
                return BenchWorkload.fromSpec(workload);
            }
            case "sleep":
            {
                workload.allowOnly("kind", "seconds", "step_ms", "requeue", "fail");
                final long seconds = workload.integer("seconds", 10, 0, 7 * 24 * 3600);
                final long step = workload.integer("step_ms", 100, 1, 60_000);
                failure = FailurePlan.fromSpec(workload);
                return new SleepWorkload(seconds * 1000, step, failure, workload.bool("requeue", false));
            }
            default:
            {
                workload.allowOnly("kind", "rounds", "elements", "fail");
                final int rounds = (int)workload.integer("rounds", 3, 1, 1_000_000);
                final int elements = (int)workload.integer("elements", 4096, 1, 64 * 1024 * 1024);
                failure = FailurePlan.fromSpec(workload);
                return new SmokeWorkload(rounds, elements, failure);
            }
        }
    }
}
