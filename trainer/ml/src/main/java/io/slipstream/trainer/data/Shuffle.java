package io.slipstream.trainer.data;

import java.util.SplittableRandom;

/** Fisher-Yates shuffles on primitive arrays. */
public final class Shuffle
{
    private Shuffle()
    {
    }

    public static void all(final int[] values, final SplittableRandom random)
    {
        partial(values, values.length, random);
    }

    /** Moves a uniformly random selection of {@code count} values, in random order, to the front. */
    public static void partial(final int[] values, final int count, final SplittableRandom random)
    {
        final int n = values.length;
        for (int i = 0; i < count && i < n - 1; i++)
        {
            final int j = i + random.nextInt(n - i);
            final int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }
}
