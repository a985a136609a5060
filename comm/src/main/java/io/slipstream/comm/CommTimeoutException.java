package io.slipstream.comm;

/** A collective did not finish within the communicator's deadline; the message names the ranks waited on. */
public final class CommTimeoutException extends CommException
{
    public CommTimeoutException(final int rank, final String operation, final long sequence, final String message)
    {
        super(rank, operation, sequence, message);
    }
}
