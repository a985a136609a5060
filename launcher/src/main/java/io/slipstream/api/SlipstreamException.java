package io.slipstream.api;

/**
 * A failure of a Slipstream job as the {@code slipstream} command reports it: one line naming the problem and the
 * fix ({@link #getMessage()}, starting with the rank where it matters) and the exit code it stands for: 2 bad input
 * (the environment, a checkpoint), 3 checkpointed and stopped after SIGUSR1/SIGTERM ({@link StoppedException}), 4
 * stopped because another rank failed, 1 anything else.
 *
 * <p>A program may let it escape {@code main}: {@link Slipstream#join()} arranges for the main thread to print
 * {@code slipstream: LINE} and exit with {@link #exitCode()}. To handle it yourself:
 * <pre>{@code
 * catch (SlipstreamException e) { System.exit(e.report()); }
 * }</pre>
 */
public class SlipstreamException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public SlipstreamException(final String line, final int exitCode, final Throwable cause)
    {
        super(line, cause);
        this.exitCode = exitCode;
    }

    /** The exit code the {@code slipstream} command would give this failure. */
    public int exitCode()
    {
        return exitCode;
    }

    /** Prints {@code slipstream: LINE} on stderr and returns {@link #exitCode()}, for {@code System.exit}. */
    public int report()
    {
        System.err.println("slipstream: " + getMessage());
        System.err.flush();
        return exitCode;
    }
}
