package io.slipstream.comm;

import java.lang.System.Logger.Level;

/**
 * Slipstream's one logging API, used by every module (comm is the lowest): one line per record. Messages are made
 * one line here (line breaks and other control characters in text that came from a peer or a path become spaces,
 * so no record can split or forge a line). Records go through {@link System.Logger}, which the JDK hands to
 * {@code java.util.logging}: the {@code slipstream} command formats them with its one-line formatter; elsewhere,
 * unless the program configured {@code java.util.logging} itself (a format, a config file or class), the JDK's
 * {@code SimpleFormatter} is given a one-line format, {@code 2026-12-01 23:05:01.123 WARNING <logger>: <message>},
 * in place of its two-line default. A program that routes {@code System.Logger} elsewhere keeps its own format.
 */
public final class OneLineLog
{
    /** The JDK's property for {@code SimpleFormatter}'s format. */
    public static final String FORMAT_PROPERTY = "java.util.logging.SimpleFormatter.format";
    /** Time, level, logger, message, and a thrown exception's text on the same line. */
    public static final String ONE_LINE_FORMAT = "%1$tF %1$tT.%1$tL %4$s %3$s: %5$s%6$s%n";

    static
    {
        if (System.getProperty(FORMAT_PROPERTY) == null &&
            System.getProperty("java.util.logging.config.file") == null &&
            System.getProperty("java.util.logging.config.class") == null)
        {
            System.setProperty(FORMAT_PROPERTY, ONE_LINE_FORMAT);
        }
    }

    private final System.Logger logger;

    private OneLineLog(final System.Logger logger)
    {
        this.logger = logger;
    }

    /** The log of {@code owner}'s records. */
    public static OneLineLog of(final Class<?> owner)
    {
        return new OneLineLog(System.getLogger(owner.getName()));
    }

    /** Whether a record at {@code level} would be logged: to skip building a message nobody reads. */
    public boolean isLoggable(final Level level)
    {
        return logger.isLoggable(level);
    }

    /** Logs {@code message} at {@code level}, made one line. */
    public void log(final Level level, final String message)
    {
        if (logger.isLoggable(level))
        {
            logger.log(level, oneLine(message));
        }
    }

    /** {@code text} with every line break and other control character replaced by a space. */
    public static String oneLine(final String text)
    {
        final StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            sb.append(Character.isISOControl(c) ? ' ' : c);
        }
        return sb.toString();
    }
}
