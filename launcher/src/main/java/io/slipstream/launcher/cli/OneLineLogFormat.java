package io.slipstream.launcher.cli;

import io.slipstream.launcher.spec.Printable;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The one format of every log record a {@code slipstream} process prints (every module logs through comm's
 * {@code OneLineLog}, a {@code System.Logger} the JDK hands to java.util.logging): one line,
 * {@code slipstream: LEVEL: message}, with control characters in the message escaped and a thrown exception as its
 * class and message only ({@code --debug} shows the traces of the command's own failure). Installed once, on the root logger, by {@link Slipstream#main}.
 */
final class OneLineLogFormat extends Formatter
{
    private static boolean installed;

    static synchronized void install()
    {
        if (installed)
        {
            return;
        }
        installed = true;
        final Logger root = Logger.getLogger("");
        for (final Handler handler : root.getHandlers())
        {
            root.removeHandler(handler);
        }
        final ConsoleHandler console = new ConsoleHandler();
        console.setFormatter(new OneLineLogFormat());
        root.addHandler(console);
    }

    @Override
    public String format(final LogRecord record)
    {
        final StringBuilder line = new StringBuilder("slipstream: ").append(record.getLevel().getName()).append(": ")
            .append(Printable.line(formatMessage(record)));
        final Throwable thrown = record.getThrown();
        if (thrown != null)
        {
            line.append(" (").append(thrown.getClass().getSimpleName());
            if (thrown.getMessage() != null)
            {
                line.append(": ").append(Printable.of(thrown.getMessage()));
            }
            line.append(')');
        }
        return line.append(System.lineSeparator()).toString();
    }
}
