package io.slipstream.comm.transport;

import io.aeron.logbuffer.BufferClaim;
import org.agrona.MutableDirectBuffer;

/**
 * Sends chunks of the current call: claims log space towards a peer, writes the header and copies the payload once
 * from the caller's buffer, adds the payload's CRC32C when the job asks for it, and commits.
 */
final class FrameSender
{
    private final DataLinks links;
    private final CollectiveCall call;
    private final CommCounters counters;
    private final boolean checksums;
    private final BufferClaim claim = new BufferClaim();
    private final FrameHeader header = new FrameHeader();
    private final FrameChecksum checksum = new FrameChecksum();

    FrameSender(final DataLinks links, final CollectiveCall call, final CommCounters counters, final boolean checksums)
    {
        this.links = links;
        this.call = call;
        this.counters = counters;
        this.checksums = checksums;
    }

    /**
     * Sends chunk {@code index}: {@code length} bytes at {@code offset} of the call's buffer, to world rank
     * {@code peer}. False when the stream is back-pressured (nothing was sent; try again later).
     */
    boolean send(final int peer, final int index, final int offset, final int length)
    {
        if (!links.tryClaim(peer, FrameHeader.LENGTH + length, claim))
        {
            return false;
        }
        final MutableDirectBuffer out = claim.buffer();
        header.wrap(out, claim.offset());
        call.writeHeader(header, index, checksums);
        if (length > 0)
        {
            out.putBytes(header.payloadOffset(), call.buffer, offset, length);
        }
        header.crc(checksums ? checksum.compute(out, header.payloadOffset(), length) : 0);
        claim.commit();
        counters.frameSent(call.op, length);
        return true;
    }
}
