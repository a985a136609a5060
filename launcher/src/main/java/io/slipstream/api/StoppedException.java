package io.slipstream.api;

/**
 * Training stopped at a step boundary because SIGUSR1/SIGTERM/SIGINT asked it to (SLURM's time-limit warning,
 * {@code scancel --signal=USR1}, a {@code slipstream local} that was signalled), after rank 0 wrote a checkpoint.
 * Exit code 3: running the same program again with the same run directory resumes where it stopped.
 */
public final class StoppedException extends SlipstreamException
{
    private static final long serialVersionUID = 1L;

    /** Exit code 3: checkpointed and stopped. */
    public static final int EXIT_CODE = 3;

    StoppedException(final String line)
    {
        super(line, EXIT_CODE, null);
    }
}
