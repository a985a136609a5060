package io.slipstream.trainer.dp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvStreamTest
{
    @TempDir
    Path dir;

    private Path csv(final int rows) throws IOException
    {
        final StringBuilder text = new StringBuilder("f0,f1,label\n");
        for (int i = 0; i < rows; i++)
        {
            text.append(i).append(',').append(i * 0.5).append(',').append(i % 3).append('\n');
        }
        final Path file = dir.resolve("data.csv");
        Files.writeString(file, text);
        return file;
    }

    private static List<Integer> drain(final CsvStream stream)
    {
        final List<Integer> rows = new ArrayList<>();
        DataSet batch;
        while ((batch = stream.next()) != null)
        {
            assertTrue(batch.numExamples() <= 4);
            for (int i = 0; i < batch.numExamples(); i++)
            {
                rows.add((int)batch.getFeatures().getFloat(i, 0));
                assertEquals(1.0f, batch.getLabels().getFloat(i, rows.get(rows.size() - 1) % 3));
            }
        }
        return rows;
    }

    @Test
    void ranksReadInterleavedRowsInBatchesFromTheResumePosition() throws IOException
    {
        final Path file = csv(23);
        final List<Integer> all = new ArrayList<>();
        for (int r = 0; r < 3; r++)
        {
            try (CsvStream stream = new CsvStream(file, true, 2, 3, r, 3, 4))
            {
                stream.startEpoch(0, 5);
                final List<Integer> mine = drain(stream);
                assertEquals(5 + r, (int)mine.get(0));
                all.addAll(mine);
            }
        }
        all.sort(null);
        assertEquals(18, all.size());
        for (int i = 0; i < all.size(); i++)
        {
            assertEquals(5 + i, (int)all.get(i));
        }
    }

    @Test
    void aBadCellNamesItsLine() throws IOException
    {
        final Path file = dir.resolve("bad.csv");
        Files.writeString(file, "1,2,0\n3,x,1\n");
        try (CsvStream stream = new CsvStream(file, false, 2, 3, 0, 1, 8))
        {
            stream.startEpoch(0, 0);
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, stream::next);
            assertTrue(ex.getMessage().contains("bad.csv:2: column 2 is 'x'"), ex.getMessage());
            assertNull(new CsvStream(file, false, 2, 3, 0, 1, 8).next());
        }
    }

    @Test
    void aLabelOutsideTheClassesIsRefused() throws IOException
    {
        final Path file = dir.resolve("label.csv");
        Files.writeString(file, "1,2,7\n");
        try (CsvStream stream = new CsvStream(file, false, 2, 3, 0, 1, 8))
        {
            stream.startEpoch(0, 0);
            assertTrue(assertThrows(IllegalArgumentException.class, stream::next).getMessage().contains("outside 0..2"));
        }
    }
}
