package io.slipstream.launcher.cli;

/** The command line is wrong. The message is one line naming the problem and the fix; exit code 2. */
public final class UsageException extends RuntimeException
{
    public UsageException(final String message)
    {
        super(message);
    }
}
