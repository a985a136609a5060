package io.slipstream.comm.transport;

import io.aeron.logbuffer.BufferClaim;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.protocol.DataHeaderFlyweight;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The data links of n ranks in memory, for driving the algorithms' {@code doWork()} on one thread without a media
 * driver: one log per ordered pair, frames laid out as Aeron lays them (a 32-byte header whose frame length the
 * claim's commit sets), polled with Aeron's controlled-poll actions. A window bounds the bytes in flight per link,
 * so senders see back-pressure as they would on a real term.
 */
final class MemoryLinks
{
    private static final int HEADER = DataHeaderFlyweight.HEADER_LENGTH;

    private final int n;
    private final int window;
    private final UnsafeBuffer[][] logs;
    private final int[][] writePos;
    private final int[][] readPos;

    MemoryLinks(final int n, final int capacity, final int window)
    {
        this.n = n;
        this.window = window;
        this.logs = new UnsafeBuffer[n][n];
        this.writePos = new int[n][n];
        this.readPos = new int[n][n];
        for (int from = 0; from < n; from++)
        {
            for (int to = 0; to < n; to++)
            {
                if (from != to)
                {
                    logs[from][to] = new UnsafeBuffer(BufferUtil.allocateDirectAligned(capacity, 64));
                }
            }
        }
    }

    /** The links as rank {@code self} sees them. */
    DataLinks of(final int self)
    {
        return new DataLinks()
        {
            @Override
            public boolean tryClaim(final int peer, final int length, final BufferClaim claim)
            {
                return claimFrame(self, peer, length, claim);
            }

            @Override
            public int poll(final int peer, final ControlledFragmentHandler handler, final int limit)
            {
                return pollFrames(peer, self, handler, limit);
            }
        };
    }

    /** Appends raw bytes as one committed frame from {@code from} to {@code to}, as a foreign sender would. */
    void inject(final int from, final int to, final byte[] payload)
    {
        final BufferClaim claim = new BufferClaim();
        if (!claimFrame(from, to, payload.length, claim))
        {
            throw new IllegalStateException("no room to inject a frame");
        }
        claim.buffer().putBytes(claim.offset(), payload);
        claim.commit();
    }

    /** The log of link {@code from -> to}, and the offset of the next frame to be read, for corrupting it. */
    UnsafeBuffer log(final int from, final int to)
    {
        return logs[from][to];
    }

    int nextFrame(final int from, final int to)
    {
        return readPos[from][to];
    }

    boolean drained()
    {
        for (int from = 0; from < n; from++)
        {
            for (int to = 0; to < n; to++)
            {
                if (writePos[from][to] != readPos[from][to])
                {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean claimFrame(final int from, final int to, final int length, final BufferClaim claim)
    {
        final UnsafeBuffer log = logs[from][to];
        final int aligned = BitUtil.align(HEADER + length, 32);
        if (writePos[from][to] == readPos[from][to])
        {
            writePos[from][to] = 0;
            readPos[from][to] = 0;
        }
        final int at = writePos[from][to];
        if (at - readPos[from][to] + aligned > window || at + aligned > log.capacity())
        {
            return false;
        }
        log.putIntVolatile(at, 0); // not yet committed
        claim.wrap(log, at, HEADER + length);
        writePos[from][to] = at + aligned;
        return true;
    }

    private int pollFrames(final int from, final int to, final ControlledFragmentHandler handler, final int limit)
    {
        final UnsafeBuffer log = logs[from][to];
        int fragments = 0;
        while (fragments < limit && readPos[from][to] < writePos[from][to])
        {
            final int at = readPos[from][to];
            final int frameLength = log.getIntVolatile(at);
            if (frameLength <= 0)
            {
                break;
            }
            final ControlledFragmentHandler.Action action =
                handler.onFragment(log, at + HEADER, frameLength - HEADER, null);
            if (action == ControlledFragmentHandler.Action.ABORT)
            {
                break;
            }
            readPos[from][to] = at + BitUtil.align(frameLength, 32);
            fragments++;
            if (action == ControlledFragmentHandler.Action.BREAK)
            {
                break;
            }
        }
        return fragments;
    }
}
