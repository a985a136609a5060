package io.slipstream.trainer.tasks;

import io.slipstream.trainer.model.UserInputException;

/**
 * A task failed on a rank (after its retries); every rank of the job throws the same exception. The
 * message says which task, on which rank, and the error's own message without its class;
 * {@link #errorClass()} keeps the class for debugging and {@link #userInput()} says whether it was a
 * {@link UserInputException} (which is never retried).
 */
public final class TaskFailedException extends RuntimeException
{
    private final int taskId;
    private final int rank;
    private final boolean userInput;
    private final String errorClass;

    public TaskFailedException(
        final int taskId, final int rank, final String message, final boolean userInput, final String errorClass)
    {
        super(message);
        this.taskId = taskId;
        this.rank = rank;
        this.userInput = userInput;
        this.errorClass = errorClass;
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

    /** True when the task failed with a {@link UserInputException}: bad input, not a bug or a fault. */
    public boolean userInput()
    {
        return userInput;
    }

    /** The failing exception's class name on the reporting rank, for {@code --debug}. */
    public String errorClass()
    {
        return errorClass;
    }
}
