package io.slipstream.trainer.tasks;

/**
 * How rank 0 schedules: ready tasks are ordered by priority, then largest cost first (LPT, the default,
 * balances groups best) or in id order; a wave gives each group at most {@code tasksPerGroup} tasks (0:
 * no limit), so stop requests and the journal are honoured every few tasks; a failed task is retried up to
 * {@code retries} times before the job fails with its error.
 */
public record SchedulingPolicy(boolean largestCostFirst, int retries, int tasksPerGroup)
{
    public static final int DEFAULT_TASKS_PER_GROUP = 16;
    public static final SchedulingPolicy DEFAULT = new SchedulingPolicy(true, 0, DEFAULT_TASKS_PER_GROUP);

    public SchedulingPolicy
    {
        if (retries < 0)
        {
            throw new IllegalArgumentException("retries must be >= 0, got " + retries);
        }
        if (tasksPerGroup < 0)
        {
            throw new IllegalArgumentException("tasks per group and wave must be >= 0 (0: no limit), got " +
                tasksPerGroup);
        }
    }
}
