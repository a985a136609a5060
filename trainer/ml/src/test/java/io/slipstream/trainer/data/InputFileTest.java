package io.slipstream.trainer.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class InputFileTest
{
    @TempDir
    Path dir;

    private static String refused(final Path file)
    {
        final DataException ex = assertThrows(DataException.class, () -> InputFile.check(file, "CSV file", 4.0));
        assertEquals(-1, ex.getMessage().indexOf('\n'), ex.getMessage());
        return ex.getMessage();
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void onlyRegularFilesAreOpenedSoAFifoCannotBlock() throws Exception
    {
        final Path fifo = dir.resolve("data.csv");
        final Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available here");
        assertTrue(refused(fifo).contains("is a device, FIFO or socket, not a regular file"));
        assertTrue(refused(dir).contains("is a directory, not a regular file"));
        final Path zero = Path.of("/dev/zero");
        if (Files.exists(zero))
        {
            assertTrue(refused(zero).contains("/dev/zero is a device, FIFO or socket"));
        }
        assertTrue(refused(dir.resolve("missing.csv")).contains("does not exist"));
        final Path dangling = Files.createSymbolicLink(dir.resolve("link.csv"), dir.resolve("nowhere.csv"));
        assertTrue(refused(dangling).contains("does not exist"));
    }

    @Test
    void aFileTooLargeForTheHeapIsRefusedBeforeReadingWithTheSizeTheLimitAndTheFix() throws IOException
    {
        final Path sparse = dir.resolve("sparse.csv");
        final long size = 3L << 30;
        try (RandomAccessFile file = new RandomAccessFile(sparse.toFile(), "rw"))
        {
            file.setLength(size);
        }
        assumeTrue(size * 4.0 > Runtime.getRuntime().maxMemory(), "this JVM's heap would hold a 3 GiB CSV");
        final long start = System.nanoTime();
        final String message = refused(sparse);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "refused without reading");
        assertTrue(message.contains("is 3072 MiB") && message.contains("needs about 12288 MiB of heap") &&
            message.contains("SLIPSTREAM_JAVA_OPTS=-Xmx"), message);
    }

    @Test
    void bytesThatAreNotUtf8AreNamedByLineAndByteOffset() throws IOException
    {
        final Path file = dir.resolve("latin1.csv");
        final byte[] head = "a,b\r\n1,2\n".getBytes(StandardCharsets.UTF_8);
        final byte[] bad = "3,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        final byte[] all = new byte[head.length + bad.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(bad, 0, all, head.length, bad.length);
        Files.write(file, all);
        try (InputFile.Lines lines = InputFile.lines(file, "CSV file"))
        {
            assertEquals("a,b", lines.next(), "a CR before the LF is part of the line end");
            assertEquals("1,2", lines.next());
            final DataException ex = assertThrows(DataException.class, lines::next);
            assertEquals(file + " line 3 (byte offset " + (head.length + 5) + ") holds byte 0xe9, which is not " +
                "UTF-8: save the CSV file as UTF-8", ex.getMessage());
        }
        final Path truncated = dir.resolve("cut.yaml");
        Files.write(truncated, new byte[]{'n', ':', ' ', (byte)0xc3});
        final DataException ex =
            assertThrows(DataException.class, () -> InputFile.readText(truncated, "job file", 100));
        assertTrue(ex.getMessage().contains("line 1 (byte offset 3) holds byte 0xc3"), ex.getMessage());
    }

    @Test
    void textIsReadWholeAndTooLargeTextIsRefused() throws IOException
    {
        final Path file = Files.writeString(dir.resolve("spec.yaml"), "name: x\nmodel: ü\n\nend: 1");
        assertEquals("name: x\nmodel: ü\n\nend: 1", InputFile.readText(file, "job file", 100));
        final String message = assertThrows(DataException.class, () -> InputFile.readText(file, "job file", 10))
            .getMessage();
        assertTrue(message.contains("more than the 10 a job file may have"), message);
    }
}
