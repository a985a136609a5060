package io.slipstream.comm.transport;

import io.slipstream.comm.CommException;
import io.slipstream.comm.bootstrap.ControlClient;
import io.slipstream.comm.bootstrap.JobFault;

/** {@link CollectiveControl} over a rank's connection to the coordinator and its job fault. */
final class JobControl implements CollectiveControl
{
    private final ControlClient control;
    private final JobFault fault;
    private final int worldRank;

    JobControl(final ControlClient control, final JobFault fault, final int worldRank)
    {
        this.control = control;
        this.fault = fault;
        this.worldRank = worldRank;
    }

    ControlClient client()
    {
        return control;
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
    public String notYetArrived(final int commId, final long seq)
    {
        return control.notYetArrived(commId, seq);
    }
}
