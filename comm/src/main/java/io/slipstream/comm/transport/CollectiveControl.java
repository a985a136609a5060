package io.slipstream.comm.transport;

import io.slipstream.comm.CommException;

/**
 * What collectives need of the control plane and the job's fault: fail on a fault another thread recorded, end the
 * job for every rank, and ask the coordinator who holds a collective up. {@link JobControl} is the real one.
 */
interface CollectiveControl
{
    /** Throws the job's fault, if one is set, as this rank's exception in {@code operation} #{@code seq}. */
    void throwIfFaulted(String operation, long seq);

    /** Ends the job on every rank with {@code message}; returns the exception this rank then throws. */
    CommException abort(String message, boolean mismatch, String operation, long seq);

    /** Tells the coordinator this rank has waited long in collective {@code seq} of {@code commId}. */
    void reportStall(int commId, long seq, String operation, int[] members);

    /** The coordinator's latest word on the ranks that have not reached collective {@code seq}, or null. */
    String notYetArrived(int commId, long seq);
}
