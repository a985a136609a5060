package io.slipstream.comm;

/**
 * A collective failed. Carries the rank that saw it, the operation and its sequence number; the message
 * says what happened and what to do.
 */
public class CommException extends RuntimeException
{
    private final int rank;
    private final String operation;
    private final long sequence;

    public CommException(final int rank, final String operation, final long sequence, final String message)
    {
        this(rank, operation, sequence, message, null);
    }

    public CommException(
        final int rank, final String operation, final long sequence, final String message, final Throwable cause)
    {
        super("rank " + rank + ": " + operation + " #" + sequence + ": " + message, cause);
        this.rank = rank;
        this.operation = operation;
        this.sequence = sequence;
    }

    public int rank()
    {
        return rank;
    }

    public String operation()
    {
        return operation;
    }

    public long sequence()
    {
        return sequence;
    }
}
