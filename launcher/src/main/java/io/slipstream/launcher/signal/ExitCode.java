package io.slipstream.launcher.signal;

/**
 * The exit codes of {@code slipstream} and of each rank. Scripts and the sbatch templates test them.
 */
public final class ExitCode
{
    /** The job finished. */
    public static final int OK = 0;

    /** The job failed at run time (a rank died, a collective timed out, the job threw). */
    public static final int FAILED = 1;

    /** Bad input: unknown subcommand or option, a job file or environment that is wrong. Nothing ran. */
    public static final int USAGE = 2;

    /**
     * A stop was requested (SIGUSR1 or SIGTERM) and honoured: the job wrote its checkpoint at a step
     * boundary and exited cleanly; running the same job again resumes from it.
     */
    public static final int CHECKPOINTED_AND_STOPPED = 3;

    /**
     * This rank stopped because another rank failed: a peer was lost or did not arrive at a collective
     * before the deadline. {@code slipstream local} blames a rank with another status if there is one.
     */
    public static final int PEER_FAILED = 4;

    private ExitCode()
    {
    }

    /** The shell's code for a process ended by signal {@code signal} (128 + number). */
    public static int bySignal(final int signal)
    {
        return 128 + signal;
    }

    /** Words for a process exit status, naming the signal when there was one. */
    public static String describe(final int status)
    {
        if (status > 128 && status < 128 + 65)
        {
            final int signal = status - 128;
            return "status " + status + " (killed by " + signalName(signal) + ")";
        }
        return switch (status)
        {
            case OK -> "status 0";
            case FAILED -> "status 1 (failed)";
            case USAGE -> "status 2 (bad input)";
            case CHECKPOINTED_AND_STOPPED -> "status 3 (checkpointed and stopped)";
            case PEER_FAILED -> "status 4 (stopped because another rank failed)";
            default -> "status " + status;
        };
    }

    private static String signalName(final int signal)
    {
        return switch (signal)
        {
            case 1 -> "SIGHUP";
            case 2 -> "SIGINT";
            case 6 -> "SIGABRT";
            case 9 -> "SIGKILL";
            case 10 -> "SIGUSR1";
            case 11 -> "SIGSEGV";
            case 15 -> "SIGTERM";
            default -> "signal " + signal;
        };
    }
}
