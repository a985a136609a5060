package io.slipstream.comm;

import org.junit.jupiter.api.Test;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OneLineLogTest
{
    @Test
    void aRecordIsOneLineWhateverItsMessageHolds()
    {
        OneLineLog.of(OneLineLogTest.class);
        assertEquals(OneLineLog.ONE_LINE_FORMAT, System.getProperty(OneLineLog.FORMAT_PROPERTY),
            "set when the program configured no format");
        final String message = OneLineLog.oneLine("rank 1 lost: reason\nrank 0 FAKE\r\tend");
        assertEquals("rank 1 lost: reason rank 0 FAKE  end", message);
        final LogRecord record = new LogRecord(Level.WARNING, message);
        record.setLoggerName("io.slipstream.comm.bootstrap.Coordinator");
        final String line = new SimpleFormatter().format(record);
        assertEquals(1, line.split("\n", -1).length - 1, line);
        assertTrue(line.endsWith("WARNING io.slipstream.comm.bootstrap.Coordinator: " + message +
            System.lineSeparator()), line);
    }
}
