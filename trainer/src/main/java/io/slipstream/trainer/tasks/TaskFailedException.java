package io.slipstream.trainer.tasks;

/** A task failed on a rank (after its retries); every rank of the job throws the same exception. */
public final class TaskFailedException extends RuntimeException
{
    private final int taskId;
    private final int rank;

    public TaskFailedException(final int taskId, final int rank, final String message)
    {
        super(message);
        this.taskId = taskId;
        this.rank = rank;
    }

    public int taskId()
    {
        return taskId;
    }

    /** World rank that reported the failure. */
    public int rank()
    {
        return rank;
    }
}
