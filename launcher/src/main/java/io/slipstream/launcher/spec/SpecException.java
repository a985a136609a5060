package io.slipstream.launcher.spec;

/** A job spec is wrong: the message names the key path, the bad value and what is allowed. */
public final class SpecException extends RuntimeException
{
    private final String path;

    public SpecException(final String path, final String message)
    {
        super(path.isEmpty() ? message : path + ": " + message);
        this.path = path;
    }

    public String path()
    {
        return path;
    }
}
