package io.slipstream.trainer.model;

/**
 * A problem the user fixes in what they gave the run (the spec, a data file, a checkpoint, the run
 * directory), not a fault of the program or the machine. The message is one line naming the problem and
 * the fix, with no class names. Thrown inside a task, the task scheduler does not retry it and the job's
 * {@code TaskFailedException} says it was user input, so the command line exits with its bad-input code
 * (2) instead of 1.
 */
public final class UserInputException extends RuntimeException
{
    public UserInputException(final String message)
    {
        super(message);
    }

    public UserInputException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
