package io.slipstream.trainer.data;

/**
 * Derives independent seeds from a job seed and integer coordinates (setting, fold, tree...), so every
 * rank computes the same seed for the same piece of work whatever order the work runs in.
 */
public final class Seeds
{
    private Seeds()
    {
    }

    /** A well-mixed seed for {@code (seed, a)}. */
    public static long derive(final long seed, final long a)
    {
        return mix(mix(seed) ^ (a + 0x9E3779B97F4A7C15L));
    }

    /** A well-mixed seed for {@code (seed, a, b)}. */
    public static long derive(final long seed, final long a, final long b)
    {
        return derive(derive(seed, a), b);
    }

    /** SplitMix64's finaliser: a bijection that spreads every input bit over the output. */
    public static long mix(final long value)
    {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
