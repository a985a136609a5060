package io.slipstream.launcher.spec;

/**
 * A job spec is wrong: the message names the key path, the bad value and what is allowed, as one line (control
 * characters from a key or value are escaped, so a newline in the YAML cannot split or forge an error line).
 */
public final class SpecException extends RuntimeException
{
    private final String path;

    public SpecException(final String path, final String message)
    {
        super(Printable.line(path.isEmpty() ? message : path + ": " + message));
        this.path = path;
    }

    public String path()
    {
        return path;
    }
}
