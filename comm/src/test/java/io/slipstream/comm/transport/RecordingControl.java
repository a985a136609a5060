package io.slipstream.comm.transport;

import io.slipstream.comm.CollectiveMismatchException;
import io.slipstream.comm.CommException;
import io.slipstream.comm.bootstrap.StallNote;

/** A control plane that records aborts and stall reports instead of sending them. */
final class RecordingControl implements CollectiveControl
{
    private final int rank;
    String abortMessage;
    boolean abortMismatch;
    int stallReports;
    StallNote note;
    int enteredCommId = -1;
    long enteredSeq;
    int waitingOn = -1;
    boolean inCollective;

    RecordingControl(final int rank)
    {
        this.rank = rank;
    }

    @Override
    public void throwIfFaulted(final String operation, final long seq)
    {
        if (abortMessage != null)
        {
            throw new CommException(rank, operation, seq, abortMessage);
        }
    }

    @Override
    public CommException abort(final String message, final boolean mismatch, final String operation, final long seq)
    {
        abortMessage = message;
        abortMismatch = mismatch;
        return mismatch ? new CollectiveMismatchException(rank, operation, seq, message) :
            new CommException(rank, operation, seq, message);
    }

    @Override
    public void reportStall(final int commId, final long seq, final String operation, final int[] members)
    {
        stallReports++;
    }

    @Override
    public StallNote stallNote(final int commId, final long seq)
    {
        return note;
    }

    @Override
    public void entered(final int commId, final long seq)
    {
        enteredCommId = commId;
        enteredSeq = seq;
        inCollective = true;
    }

    @Override
    public void waitingOn(final int rank)
    {
        waitingOn = rank;
    }

    @Override
    public void left()
    {
        inCollective = false;
        waitingOn = -1;
    }
}
