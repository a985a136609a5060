package io.slipstream.comm.transport;

/**
 * One collective's schedule, advanced without blocking: each {@link #doWork()} sends what the streams accept and
 * takes what has arrived, and returns how much it did (0 lets the {@link ProgressLoop} idle).
 */
interface CollectiveAlgorithm
{
    /** Sends and receives what it can now; returns the frames sent and received (0: nothing to do yet). */
    int doWork();

    /** True once this rank's part of the collective is complete. */
    boolean isDone();

    /** The world rank whose frames this rank waits for now, or -1 when it waits for none. */
    int waitingOn();

    /** Where the collective stands, for a deadline error: chunks sent and received, and with whom. */
    String progress();
}
