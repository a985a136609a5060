package io.slipstream.comm.transport;

import io.slipstream.comm.CommException;
import org.agrona.DirectBuffer;

/**
 * Checks each received frame against the current call and delivers its payload: frames that are not this job's are
 * dropped (counted; a peer that sends nothing else fails the call), a frame of another collective, a chunk out of
 * place or a failed checksum ends the job on every rank. Delivery reduces the payload into the caller's buffer, or
 * copies it there, straight from the log.
 */
final class FrameReceiver
{
    /** What {@link #check} made of a frame. */
    static final int ACCEPT = 0;
    static final int DROP = 1;
    static final int FAIL = 2;

    private static final int MAX_CONSECUTIVE_GARBAGE = 1024;

    private final CollectiveCall call;
    private final CommMembers members;
    private final CollectiveControl control;
    private final CommCounters counters;
    private final FrameHeader header = new FrameHeader();
    private final FrameChecksum checksum = new FrameChecksum();
    private final Reducer reducer = new Reducer();
    private int consecutiveGarbage;
    private CommException pendingError;

    FrameReceiver(
        final CollectiveCall call, final CommMembers members, final CollectiveControl control,
        final CommCounters counters)
    {
        this.call = call;
        this.members = members;
        this.control = control;
        this.counters = counters;
    }

    /**
     * Checks the frame of {@code length} bytes at {@code offset}, due from world rank {@code peer} as chunk
     * {@code index} of {@code expectedBytes} payload bytes. On {@link #FAIL} the job is already ended and the error
     * waits in {@link #throwIfFailed}.
     */
    int check(
        final DirectBuffer frame, final int offset, final int length, final int peer, final int index,
        final int expectedBytes)
    {
        header.wrap(frame, offset);
        if (length < FrameHeader.LENGTH || header.magic() != FrameHeader.MAGIC || header.jobHash() != call.jobHash)
        {
            counters.frameDropped();
            if (++consecutiveGarbage > MAX_CONSECUTIVE_GARBAGE)
            {
                fail("rank " + members.describe(peer) + " keeps sending frames that are not this job's (protocol " +
                    "or job id differ): is it running another Slipstream version or job?", false);
                return FAIL;
            }
            return DROP;
        }
        consecutiveGarbage = 0;
        if (!call.matches(header))
        {
            fail("collective mismatch: rank " + members.describe(members.worldRankOf(members.me())) + " called " +
                call.describe() + " but rank " + members.describe(peer) + " called " + header.describeCall() +
                "; every rank must call the same collectives in the same order with the same arguments", true);
            return FAIL;
        }
        final int payload = length - FrameHeader.LENGTH;
        if (header.chunk() != index || payload != expectedBytes)
        {
            fail("rank " + members.describe(peer) + " sent chunk " + header.chunk() + " of " + payload +
                " bytes where chunk " + index + " of " + expectedBytes + " bytes was due in " + call.describe() +
                "; the ranks disagree on chunking (different smallMessageThreshold or transport settings?)", true);
            return FAIL;
        }
        if (header.hasChecksum() && checksum.compute(frame, header.payloadOffset(), payload) != header.crc())
        {
            fail("chunk " + index + " from rank " + members.describe(peer) + " failed its CRC32C check: data was " +
                "corrupted in transit", false);
            return FAIL;
        }
        counters.frameReceived();
        return ACCEPT;
    }

    /**
     * Reduces ({@code reduce}) or copies the checked frame's {@code payload} bytes into the call's buffer at
     * {@code dstOffset}; {@code srcFirst} orders the operands by rank so every rank computes the same bits.
     */
    void deliver(
        final DirectBuffer frame, final int offset, final int payload, final int dstOffset, final boolean reduce,
        final boolean srcFirst)
    {
        if (payload == 0)
        {
            return;
        }
        if (reduce)
        {
            reducer.reduce(call.type, call.reduceOp, call.buffer, dstOffset, frame, offset + FrameHeader.LENGTH,
                payload / call.elementSize, srcFirst);
        }
        else
        {
            call.buffer.putBytes(dstOffset, frame, offset + FrameHeader.LENGTH, payload);
        }
    }

    /** Throws the error a frame caused, once. */
    void throwIfFailed()
    {
        if (pendingError != null)
        {
            final CommException error = pendingError;
            pendingError = null;
            throw error;
        }
    }

    private void fail(final String message, final boolean mismatch)
    {
        pendingError = control.abort(message + " [communicator " + Integer.toHexString(call.commId) + "]", mismatch,
            call.opName(), call.seq);
    }
}
