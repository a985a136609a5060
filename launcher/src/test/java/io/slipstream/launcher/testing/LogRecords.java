package io.slipstream.launcher.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The log records one class writes while an action runs, as {@code LEVEL message} lines (java.util.logging names). */
public final class LogRecords
{
    private LogRecords()
    {
    }

    /** Runs {@code action} and returns what {@code owner}'s logger recorded meanwhile. */
    public static List<String> of(final Class<?> owner, final Runnable action)
    {
        final List<String> records = new ArrayList<>();
        final Handler capture = new Handler()
        {
            @Override
            public void publish(final LogRecord record)
            {
                records.add(record.getLevel() + " " + record.getMessage());
            }

            @Override
            public void flush()
            {
            }

            @Override
            public void close()
            {
            }
        };
        final Logger logger = Logger.getLogger(owner.getName());
        logger.addHandler(capture);
        try
        {
            action.run();
        }
        finally
        {
            logger.removeHandler(capture);
        }
        return records;
    }
}
