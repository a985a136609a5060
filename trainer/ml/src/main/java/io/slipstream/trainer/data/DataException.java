package io.slipstream.trainer.data;

/** Input data cannot be used as given; the message names the problem, where it is and how to fix it. */
public final class DataException extends RuntimeException
{
    public DataException(final String message)
    {
        super(message);
    }
}
