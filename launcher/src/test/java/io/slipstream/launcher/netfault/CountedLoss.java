package io.slipstream.launcher.netfault;

import io.aeron.driver.ext.LossGenerator;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/** A loss generator that counts the frames it was asked about and those it dropped, so a test can prove loss. */
final class CountedLoss implements LossGenerator
{
    private final LossGenerator delegate;
    private final AtomicLong seen = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    CountedLoss(final LossGenerator delegate)
    {
        this.delegate = delegate;
    }

    @Override
    public boolean shouldDropFrame(final InetSocketAddress address, final UnsafeBuffer buffer, final int length)
    {
        seen.incrementAndGet();
        final boolean drop = delegate.shouldDropFrame(address, buffer, length);
        if (drop)
        {
            dropped.incrementAndGet();
        }
        return drop;
    }

    long seen()
    {
        return seen.get();
    }

    long dropped()
    {
        return dropped.get();
    }
}
