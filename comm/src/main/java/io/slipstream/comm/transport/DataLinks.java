package io.slipstream.comm.transport;

import io.aeron.logbuffer.BufferClaim;
import io.aeron.logbuffer.ControlledFragmentHandler;

/**
 * What a collective algorithm needs of the data plane: claim space in the stream to a peer, and poll the stream
 * from a peer. {@link DataPlane} is the real one; tests drive the algorithms over an in-memory one.
 */
interface DataLinks
{
    /** Claims {@code length} bytes towards {@code peer} (world rank); false when back-pressured, try again later. */
    boolean tryClaim(int peer, int length, BufferClaim claim);

    /** Hands up to {@code limit} fragments from {@code peer} (world rank) to {@code handler}; returns how many. */
    int poll(int peer, ControlledFragmentHandler handler, int limit);
}
