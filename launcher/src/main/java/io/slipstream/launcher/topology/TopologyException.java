package io.slipstream.launcher.topology;

/**
 * The environment does not describe a usable world (half of a launcher's variables, rank not below size,
 * a hostlist that does not parse). The message names the variable, its value and the fix.
 */
public final class TopologyException extends RuntimeException
{
    public TopologyException(final String message)
    {
        super(message);
    }
}
