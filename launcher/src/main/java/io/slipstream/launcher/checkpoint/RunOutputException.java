package io.slipstream.launcher.checkpoint;

/**
 * A run's output file could not be written (disk full, quota, permissions): the message is one line naming the
 * cause and the path first ({@code disk full: cannot append to runs/x/metrics.jsonl ...}) and the fix.
 */
public final class RunOutputException extends RuntimeException
{
    public RunOutputException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
