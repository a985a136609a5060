package io.slipstream.launcher.spec;

import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Whole numbers and durations written as text (an option, an environment variable), parsed in one place for
 * the whole launcher. Every refusal is one line naming the value's {@code name}, the text and what is allowed;
 * {@code error} makes the exception of the caller's kind (a usage, spec or environment error), so the exit code
 * stays the caller's.
 */
public final class ValueText
{
    private ValueText()
    {
    }

    /** {@code text} as a whole number in {@code min..max}. */
    public static long integer(
        final String name, final String text, final long min, final long max,
        final Function<String, ? extends RuntimeException> error)
    {
        return inRange(name, wholeNumber(name, text, error), min, max, error);
    }

    /** {@code text} (surrounding blanks allowed) as a whole number that fits a {@code long}. */
    public static long wholeNumber(
        final String name, final String text, final Function<String, ? extends RuntimeException> error)
    {
        try
        {
            return Long.parseLong(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw error.apply(name + " '" + Printable.of(text) + "' is not a whole number");
        }
    }

    /** {@code value} itself when it is in {@code min..max}; refused naming the range otherwise. */
    public static long inRange(
        final String name, final long value, final long min, final long max,
        final Function<String, ? extends RuntimeException> error)
    {
        if (value < min || value > max)
        {
            throw error.apply((name.isEmpty() ? "" : name + " ") + value + " is out of range" + allowed(min, max));
        }
        return value;
    }

    /**
     * "500ms", "90s", "2m", "1h", or a bare number of seconds, as nanoseconds in {@code 1 ms .. maxHours}.
     */
    public static long durationNanos(
        final String name, final String text, final long maxHours,
        final Function<String, ? extends RuntimeException> error)
    {
        final String t = text.trim();
        int split = 0;
        while (split < t.length() && Character.isDigit(t.charAt(split)))
        {
            split++;
        }
        final String unit = t.substring(split);
        final long amount;
        try
        {
            amount = Long.parseLong(t.substring(0, split));
        }
        catch (final NumberFormatException ex)
        {
            throw error.apply(name + " '" + Printable.of(text) + "' is not a duration; use e.g. 500ms, 90s, 2m, 1h");
        }
        final TimeUnit timeUnit = switch (unit)
        {
            case "ms" -> TimeUnit.MILLISECONDS;
            case "", "s" -> TimeUnit.SECONDS;
            case "m" -> TimeUnit.MINUTES;
            case "h" -> TimeUnit.HOURS;
            default -> throw error.apply(name + " '" + Printable.of(text) + "' has an unknown unit; use ms, s, m or h");
        };
        if (amount < 1 || timeUnit.toHours(amount) > maxHours)
        {
            throw error.apply(name + " '" + Printable.of(text) + "' is out of range; allowed 1ms.." +
                (maxHours % 24 == 0 ? maxHours / 24 + " days" : maxHours + " h"));
        }
        return timeUnit.toNanos(amount);
    }

    private static String allowed(final long min, final long max)
    {
        return "; allowed " + min + ".." + max;
    }
}
