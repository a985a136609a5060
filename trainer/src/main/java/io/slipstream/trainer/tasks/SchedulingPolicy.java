package io.slipstream.trainer.tasks;

/**
 * How rank 0 orders ready tasks (after their priority, higher first): {@code largestCostFirst} (LPT, the
 * default, balances groups best) or in id order; and how many times a failed task is retried before the
 * job fails with its error.
 */
public record SchedulingPolicy(boolean largestCostFirst, int retries)
{
    public static final SchedulingPolicy DEFAULT = new SchedulingPolicy(true, 0);

    public SchedulingPolicy
    {
        if (retries < 0)
        {
            throw new IllegalArgumentException("retries must be >= 0, got " + retries);
        }
    }
}
