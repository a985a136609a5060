package io.slipstream.launcher.checkpoint;

/** A checkpoint could not be written or no usable one could be read; the message says what to do. */
public final class CheckpointException extends RuntimeException
{
    public CheckpointException(final String message, final Throwable cause)
    {
        super(message, cause);
    }

    public CheckpointException(final String message)
    {
        super(message);
    }
}
