package io.slipstream.launcher.workload;

/** Byte counts written as people write them: 4096, 64K, 1M, 2G (powers of 1024). */
public final class ByteSize
{
    private ByteSize()
    {
    }

    /** Parses {@code text}; throws IllegalArgumentException naming {@code what} and the accepted forms. */
    public static long parse(final String what, final String text)
    {
        final String t = text.trim().toUpperCase();
        if (t.isEmpty())
        {
            throw invalid(what, text);
        }
        final char last = t.charAt(t.length() - 1);
        final int shift = switch (last)
        {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            default -> 0;
        };
        final String digits = shift == 0 ? t : t.substring(0, t.length() - 1);
        try
        {
            final long value = Long.parseLong(digits);
            if (value < 0 || value > (Long.MAX_VALUE >> 31))
            {
                throw invalid(what, text);
            }
            return value << shift;
        }
        catch (final NumberFormatException ex)
        {
            throw invalid(what, text);
        }
    }

    private static IllegalArgumentException invalid(final String what, final String text)
    {
        return new IllegalArgumentException(what + " '" + text + "' is not a byte count; use e.g. 4096, 64K, 1M, 2G");
    }
}
