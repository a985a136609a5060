package io.slipstream.trainer.model;

/**
 * A file a {@link ConfiguredFamily} was given cannot be used; {@link #key} is the {@code model} section key it was
 * given under, so the job spec's reader reports the problem at that key path. The message is one line naming the
 * file, the problem and the fix.
 */
public final class ModelFileException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    private final String key;

    public ModelFileException(final String key, final String message)
    {
        super(message);
        this.key = key;
    }

    public ModelFileException(final String key, final String message, final Throwable cause)
    {
        super(message, cause);
        this.key = key;
    }

    /** The {@code model} section key, e.g. {@code config}. */
    public String key()
    {
        return key;
    }
}
