package io.slipstream.comm.bootstrap;

/**
 * The coordinator's latest answer about a collective a rank has waited on for long.
 *
 * @param commId       the communicator of the collective.
 * @param seq          its sequence number.
 * @param working      whether a member that has not reached it is alive and busy (then the wait is for work).
 * @param notArrived   the world ranks that have not reached it, separated by ", " ("" if every rank has).
 * @param detail       what each of those ranks is doing.
 * @param receivedNanos when the answer arrived ({@link System#nanoTime()}).
 */
public record StallNote(int commId, long seq, boolean working, String notArrived, String detail, long receivedNanos)
{
}
