package io.slipstream.launcher.cli;

/**
 * The job failed on this rank with {@link #getCause()}; it carries the rank so that the one line the
 * command prints can say where an unexpected failure happened.
 */
final class RankFailedException extends RuntimeException
{
    private final int rank;

    RankFailedException(final int rank, final Throwable cause)
    {
        super("rank " + rank + " failed", cause);
        this.rank = rank;
    }

    int rank()
    {
        return rank;
    }
}
