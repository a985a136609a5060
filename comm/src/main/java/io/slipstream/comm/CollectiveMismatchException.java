package io.slipstream.comm;

/**
 * Ranks called different collectives at the same point (another operation, count, data type, reduction or
 * root). The rank that sees it first tells every other rank, so all of them fail with this error.
 */
public final class CollectiveMismatchException extends CommException
{
    public CollectiveMismatchException(
        final int rank, final String operation, final long sequence, final String message)
    {
        super(rank, operation, sequence, message);
    }
}
