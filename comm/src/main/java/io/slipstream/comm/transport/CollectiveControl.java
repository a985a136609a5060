package io.slipstream.comm.transport;

import io.slipstream.comm.CommException;
import io.slipstream.comm.bootstrap.StallNote;

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

    /** Asks the coordinator who holds up collective {@code seq} of {@code commId}, which has waited long. */
    void reportStall(int commId, long seq, String operation, int[] members);

    /** The coordinator's latest answer about collective {@code seq} of {@code commId}, or null. */
    StallNote stallNote(int commId, long seq);

    /** Collective {@code seq} of {@code commId} starts: what this rank's heartbeats now say. */
    void entered(int commId, long seq);

    /** The collective waits for frames from world rank {@code rank} (-1: none). */
    void waitingOn(int rank);

    /** The collective is over. */
    void left();
}
