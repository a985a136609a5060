package io.slipstream.launcher.signal;

import io.slipstream.comm.Communicator;

import java.nio.charset.StandardCharsets;

/**
 * A failure only one rank saw (its output could not be written), made every rank's at a point all ranks reach:
 * each rank's cause (or nothing) is gathered, and every rank then fails with the first one, naming the rank it
 * happened on. So the other ranks report "rank R failed: disk full: ..." instead of a collective they could not
 * match, and exit with {@link ExitCode#PEER_FAILED}; the rank it happened on exits {@link ExitCode#FAILED}.
 */
public final class SharedFailure extends RuntimeException
{
    private final int failedRank;
    private final boolean here;

    private SharedFailure(final int thisRank, final int failedRank, final String cause)
    {
        super((thisRank == failedRank ? "" : "rank " + thisRank + ": ") + "rank " + failedRank + " failed: " + cause);
        this.failedRank = failedRank;
        this.here = thisRank == failedRank;
    }

    /** The rank the failure happened on. */
    public int failedRank()
    {
        return failedRank;
    }

    /** The exit code for this rank: failed where it happened, stopped for another rank's failure elsewhere. */
    public int exitCode()
    {
        return here ? ExitCode.FAILED : ExitCode.PEER_FAILED;
    }

    /**
     * Agrees on {@code cause} (this rank's failure, or null) with every rank of {@code world}; throws the first
     * rank's failure on every rank if any rank had one. Every rank must call it at the same point.
     */
    public static void agree(final Communicator world, final String cause)
    {
        final byte[] mine = cause == null ? new byte[0] : cause.getBytes(StandardCharsets.UTF_8);
        final byte[][] all = world.allgatherBytes(mine);
        for (int r = 0; r < all.length; r++)
        {
            if (all[r].length > 0)
            {
                throw new SharedFailure(world.rank(), r, new String(all[r], StandardCharsets.UTF_8));
            }
        }
    }
}
