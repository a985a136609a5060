package io.slipstream.comm.transport;

import io.slipstream.comm.CommException;
import io.slipstream.comm.bootstrap.ControlClient;
import io.slipstream.comm.bootstrap.JobFault;
import io.slipstream.comm.bootstrap.RankActivity;
import io.slipstream.comm.bootstrap.StallNote;

/** {@link CollectiveControl} over a rank's connection to the coordinator and its job fault. */
final class JobControl implements CollectiveControl
{
    private final ControlClient control;
    private final JobFault fault;
    private final int worldRank;
    private final RankActivity activity;

    JobControl(final ControlClient control, final JobFault fault, final int worldRank)
    {
        this.control = control;
        this.fault = fault;
        this.worldRank = worldRank;
        this.activity = control.activity();
    }

    @Override
    public void throwIfFaulted(final String operation, final long seq)
    {
        fault.throwIfSet(worldRank, operation, seq);
    }

    @Override
    public CommException abort(final String message, final boolean mismatch, final String operation, final long seq)
    {
        control.abort(message, mismatch);
        fault.aborted(worldRank, message, mismatch);
        return fault.toException(worldRank, operation, seq);
    }

    @Override
    public void reportStall(final int commId, final long seq, final String operation, final int[] members)
    {
        control.reportStall(commId, seq, operation, members);
    }

    @Override
    public StallNote stallNote(final int commId, final long seq)
    {
        return control.stallNote(commId, seq);
    }

    @Override
    public void entered(final int commId, final long seq)
    {
        activity.entered(commId, seq);
    }

    @Override
    public void waitingOn(final int rank)
    {
        activity.waitingOn(rank);
    }

    @Override
    public void left()
    {
        activity.left();
    }
}
