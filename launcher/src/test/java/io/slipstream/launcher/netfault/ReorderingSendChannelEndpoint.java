package io.slipstream.launcher.netfault;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.media.SendChannelEndpoint;
import io.aeron.driver.media.UdpChannel;
import io.aeron.protocol.DataHeaderFlyweight;
import io.aeron.protocol.HeaderFlyweight;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * A send endpoint that reorders data datagrams the way a network with a slower second path does. With probability
 * {@code rate} a datagram that carries data is not sent but copied aside; it goes out after the next
 * {@code distance} datagrams of this endpoint, so those overtake it, or once it has been held {@code maxHoldNs},
 * whichever comes first (the time bound lets the last datagram of a burst through without waiting for the
 * publication's heartbeat, as a delaying link would). One datagram is held at a time. Only datagrams that carry data
 * can be held (retransmissions too); setup frames and heartbeats pass, and count among the overtaking datagrams.
 * Control traffic (status messages, NAKs) comes the other way and is not touched.
 *
 * <p>The hold decisions come from a seeded generator, so a run's sequence of decisions is repeatable (which
 * datagrams they fall on depends on timing). Runs on the driver's sender thread only: the sender both sends through
 * this endpoint and polls it for control frames, which is when a held datagram's time is checked while idle.
 */
final class ReorderingSendChannelEndpoint extends SendChannelEndpoint
{
    private final double rate;
    private final int distance;
    private final long maxHoldNs;
    private final SplittableRandom random;
    private final ReorderCounts counts;
    private final NanoClock clock;
    private final UnsafeBuffer frame = new UnsafeBuffer(0, 0);
    private final ByteBuffer held = ByteBuffer.allocateDirect(64 * 1024);
    private final UnsafeBuffer heldView = new UnsafeBuffer(held);
    private boolean holding;
    private int sentWhileHeld;
    private long heldSinceNs;

    ReorderingSendChannelEndpoint(
        final UdpChannel channel,
        final AtomicCounter statusIndicator,
        final MediaDriver.Context context,
        final NetworkFaults faults,
        final long seed,
        final ReorderCounts counts)
    {
        super(channel, statusIndicator, context);
        this.rate = faults.reorderRate();
        this.distance = faults.reorderDistance();
        this.maxHoldNs = faults.maxHoldNs();
        this.random = new SplittableRandom(seed);
        this.counts = counts;
        this.clock = context.nanoClock();
    }

    @Override
    public int send(final ByteBuffer buffer)
    {
        final int length = buffer.remaining();
        final long nowNs = clock.nanoTime();
        final boolean data = carriesData(buffer, length);
        if (data)
        {
            counts.onDataDatagram();
        }
        if (data && !holding && random.nextDouble() < rate)
        {
            heldView.putBytes(0, buffer, buffer.position(), length);
            held.clear().limit(length);
            holding = true;
            sentWhileHeld = 0;
            heldSinceNs = nowNs;
            counts.onHeld();
            // The publication treats it as sent; it is, later.
            return length;
        }
        final int sent = super.send(buffer);
        if (holding)
        {
            sentWhileHeld++;
            if (sentWhileHeld >= distance || nowNs - heldSinceNs >= maxHoldNs)
            {
                release();
            }
        }
        return sent;
    }

    @Override
    public InetSocketAddress receive(final ByteBuffer buffer)
    {
        if (holding && clock.nanoTime() - heldSinceNs >= maxHoldNs)
        {
            release();
        }
        return super.receive(buffer);
    }

    @Override
    public void close()
    {
        holding = false;
        super.close();
    }

    private void release()
    {
        holding = false;
        held.position(0);
        super.send(held);
        counts.onReleased(sentWhileHeld);
    }

    private boolean carriesData(final ByteBuffer buffer, final int length)
    {
        if (length <= DataHeaderFlyweight.HEADER_LENGTH || length > held.capacity())
        {
            return false;
        }
        frame.wrap(buffer, buffer.position(), length);
        return frame.getShort(HeaderFlyweight.TYPE_FIELD_OFFSET, ByteOrder.LITTLE_ENDIAN) ==
            HeaderFlyweight.HDR_TYPE_DATA &&
            frame.getInt(HeaderFlyweight.FRAME_LENGTH_FIELD_OFFSET, ByteOrder.LITTLE_ENDIAN) >
            DataHeaderFlyweight.HEADER_LENGTH;
    }
}
