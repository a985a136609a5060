package io.slipstream.launcher.cli;

import io.slipstream.comm.OneLineLog;
import io.slipstream.launcher.checkpoint.CheckpointStore;
import org.junit.jupiter.api.Test;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OneLineLogFormatTest
{
    @Test
    void aRecordOfTheOneLoggingApiReachesTheFormatterAsOneLine()
    {
        final List<String> lines = new ArrayList<>();
        final OneLineLogFormat format = new OneLineLogFormat();
        final Handler capture = new Handler()
        {
            @Override
            public void publish(final LogRecord record)
            {
                lines.add(format.format(record));
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
        final Logger logger = Logger.getLogger(CheckpointStore.class.getName());
        final boolean parents = logger.getUseParentHandlers();
        logger.addHandler(capture);
        logger.setUseParentHandlers(false);
        try
        {
            OneLineLog.of(CheckpointStore.class).log(Level.ERROR, "cannot write\nslipstream: INFO: forged");
        }
        finally
        {
            logger.removeHandler(capture);
            logger.setUseParentHandlers(parents);
        }
        assertEquals(List.of("slipstream: SEVERE: cannot write slipstream: INFO: forged" + System.lineSeparator()),
            lines);
    }
}
