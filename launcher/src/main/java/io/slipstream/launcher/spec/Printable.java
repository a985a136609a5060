package io.slipstream.launcher.spec;

/**
 * A user-derived string (a spec key or value, an environment variable, a path) made safe for a one-line error:
 * line breaks and other control characters are written as escapes ({@code \n}, {@code \u001b}), so a value can
 * neither split the line nor forge one that looks like another rank's, and a value longer than
 * {@link #MAX_CHARS} is cut, saying how much was left out.
 */
public final class Printable
{
    /** The most characters of one value an error line shows. */
    public static final int MAX_CHARS = 200;

    private Printable()
    {
    }

    public static String of(final Object value)
    {
        final String text = String.valueOf(value);
        if (text.length() <= MAX_CHARS)
        {
            return line(text);
        }
        return line(text.substring(0, MAX_CHARS)) + "...(" + (text.length() - MAX_CHARS) + " more characters)";
    }

    /** The whole of {@code line} with every control character escaped (no cut): for a line made of parts. */
    public static String line(final String line)
    {
        StringBuilder out = null;
        for (int i = 0; i < line.length(); i++)
        {
            final char c = line.charAt(i);
            if (needsEscape(c) && out == null)
            {
                out = new StringBuilder(line.length() + 16).append(line, 0, i);
            }
            if (out != null)
            {
                out.append(needsEscape(c) ? escape(c) : String.valueOf(c));
            }
        }
        return out == null ? line : out.toString();
    }

    private static String escape(final char c)
    {
        return switch (c)
        {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> String.format("\\u%04x", (int)c);
        };
    }

    /** C0 and C1 controls, DEL, Unicode line/paragraph separators and the bidirectional overrides. */
    private static boolean needsEscape(final char c)
    {
        return c < 0x20 || (c >= 0x7f && c < 0xa0) || c == '\u2028' || c == '\u2029' ||
            (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
    }
}
