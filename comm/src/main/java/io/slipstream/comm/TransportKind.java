package io.slipstream.comm;

/** Which Aeron media carries data between two ranks. */
public enum TransportKind
{
    /** Shared memory between ranks of one host id, UDP between hosts. */
    AUTO,
    /** Shared memory only: every rank must have the same host id. */
    IPC,
    /** UDP unicast between every pair, even on one host (tests, or hosts that cannot share memory). */
    UDP
}
