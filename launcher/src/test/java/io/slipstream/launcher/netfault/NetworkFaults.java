package io.slipstream.launcher.netfault;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What the test drivers do to UDP data frames: drop {@code lossRate} of those they receive, and hold back
 * {@code reorderRate} of those they send until {@code reorderDistance} later datagrams have overtaken them (or
 * {@code maxHoldNs} has passed). {@link #NONE} is a clean network.
 */
record NetworkFaults(double lossRate, double reorderRate, int reorderDistance, long maxHoldNs)
{
    static final NetworkFaults NONE = new NetworkFaults(0, 0, 1, TimeUnit.MILLISECONDS.toNanos(1));

    NetworkFaults
    {
        if (!(lossRate >= 0 && lossRate < 1))
        {
            throw new IllegalArgumentException("loss rate " + lossRate + " is not allowed; use 0 <= rate < 1");
        }
        if (!(reorderRate >= 0 && reorderRate < 1))
        {
            throw new IllegalArgumentException("reorder rate " + reorderRate + " is not allowed; use 0 <= rate < 1");
        }
        if (reorderDistance < 1 || reorderDistance > 1000)
        {
            throw new IllegalArgumentException("reorder distance " + reorderDistance + " is not allowed; use 1..1000 " +
                "datagrams");
        }
        if (maxHoldNs <= 0)
        {
            throw new IllegalArgumentException("maximum hold " + maxHoldNs + " ns is not allowed; use > 0");
        }
    }

    static NetworkFaults loss(final double rate)
    {
        return new NetworkFaults(rate, 0, NONE.reorderDistance, NONE.maxHoldNs);
    }

    /** Holds {@code rate} of sent data datagrams until {@code distance} later ones went out, or 1 ms passed. */
    static NetworkFaults reorder(final double rate, final int distance)
    {
        return new NetworkFaults(0, rate, distance, NONE.maxHoldNs);
    }

    boolean reorders()
    {
        return reorderRate > 0;
    }

    String describe()
    {
        if (lossRate == 0 && reorderRate == 0)
        {
            return "no faults";
        }
        final StringBuilder text = new StringBuilder();
        if (lossRate > 0)
        {
            text.append(String.format(Locale.ROOT, "each receiving driver drops %.2f%% of data frames " +
                "(Aeron RandomLossGenerator)", lossRate * 100));
        }
        if (reorderRate > 0)
        {
            text.append(text.length() > 0 ? "; " : "").append(String.format(Locale.ROOT,
                "each sending driver holds back %.2f%% of data datagrams until %d later ones overtook them or %d us " +
                "passed", reorderRate * 100, reorderDistance, TimeUnit.NANOSECONDS.toMicros(maxHoldNs)));
        }
        return text.toString();
    }
}
