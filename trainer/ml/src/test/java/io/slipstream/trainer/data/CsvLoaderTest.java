package io.slipstream.trainer.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvLoaderTest
{
    @TempDir
    Path dir;

    private Path write(final String text) throws IOException
    {
        final Path file = dir.resolve("data.csv");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void aLongLoadTellsTheRowsReadSoFar() throws IOException
    {
        final StringBuilder text = new StringBuilder("a,label\n");
        for (int i = 0; i < 3 * CsvLoader.CLOCK_EVERY_ROWS + 5; i++)
        {
            text.append(i).append(',').append(i % 2).append('\n');
        }
        final List<Long> told = new java.util.ArrayList<>();
        final Dataset d = CsvLoader.load(write(text.toString()), CsvFormat.labelNamed("label", ',', null), 0,
            (rows, seconds) ->
            {
                assertTrue(seconds >= 0);
                told.add(rows);
            });
        assertEquals(3 * CsvLoader.CLOCK_EVERY_ROWS + 5, d.size());
        assertEquals(List.of(1024L, 2048L, 3072L), told, "every " + CsvLoader.CLOCK_EVERY_ROWS + " rows once due");
        final List<Long> never = new java.util.ArrayList<>();
        CsvLoader.load(write(text.toString()), CsvFormat.labelNamed("label", ',', null), Long.MAX_VALUE,
            (rows, seconds) -> never.add(rows));
        assertEquals(List.of(), never, "nothing before the interval has passed");
    }

    @Test
    void readsLabelByNameWithHeader() throws IOException
    {
        final Path file = write("a,kind,b\n1.5,cat,2\n\n3,dog,4e1\n0,cat,-1\n");
        final Dataset d = CsvLoader.load(file, CsvFormat.labelNamed("kind", ',', null));
        assertEquals(3, d.size());
        assertArrayEquals(new String[]{"a", "b"}, d.featureNames());
        assertArrayEquals(new String[]{"cat", "dog"}, d.classNames());
        assertArrayEquals(new double[]{3, 40}, d.row(1));
        assertEquals(1, d.label(1));
    }

    @Test
    void readsLabelByIndexWithoutHeaderAndSortsNumericLabels() throws IOException
    {
        final Path file = write("10;1;2\n2;3;4\n10;5;6\n");
        final Dataset d = CsvLoader.load(file, CsvFormat.labelAt(0, false, ';', null));
        assertArrayEquals(new String[]{"2", "10"}, d.classNames());
        assertEquals(1, d.label(0));
        assertEquals(0, d.label(1));
        assertArrayEquals(new double[]{5, 6}, d.row(2));
    }

    @Test
    void readsAFileWithoutLabelsForClustering() throws IOException
    {
        final Dataset d = CsvLoader.load(write("a,b\n1,2\n3,4\n"), CsvFormat.unlabeled(true, ','));
        assertEquals(2, d.numFeatures());
        assertEquals(0, d.numClasses());
        assertEquals(Dataset.UNLABELED, d.label(1));
        assertArrayEquals(new double[]{3, 4}, d.row(1));
    }

    @Test
    void errorsNameTheProblemAndWhere() throws IOException
    {
        assertMessage(write("a,b,y\n1,2,0\n1,2\n"), CsvFormat.labelNamed("y", ',', null), "row 3 has 2 cells");
        assertMessage(write("a,b,y\n1,x2,0\n"), CsvFormat.labelNamed("y", ',', null), "row 2 column 2 ('b')");
        assertMessage(write("a,b,y\n1,2,0\n"), CsvFormat.labelNamed("label", ',', null), "no column named 'label'");
        assertMessage(write("a,b,y\n1,2,0\n1,2,7\n"), CsvFormat.labelNamed("y", ',', List.of("0", "1")),
            "row 3 has label '7'");
        assertMessage(write("a,b,y\n1,NaN,0\n"), CsvFormat.labelNamed("y", ',', null), "must be finite numbers");
        assertMessage(write(""), CsvFormat.labelAt(0, false, ',', null), "has no data rows");
        assertMessage(write("a,b\n"), CsvFormat.labelAt(1, true, ',', null), "has no data rows");
        assertMessage(write("1,2\n"), CsvFormat.labelAt(5, false, ',', null), "label column index 5");
        assertMessage(dir.resolve("missing.csv"), CsvFormat.labelAt(0, false, ',', null), "does not exist");
    }

    @Test
    void theLoaderChecksTheFileFirstAndNamesABadByte() throws IOException
    {
        assertMessage(dir, CsvFormat.labelAt(0, false, ',', null), "is a directory, not a regular file");
        final Path latin1 = dir.resolve("latin1.csv");
        Files.write(latin1, new byte[]{'a', ',', 'y', '\n', '1', ',', (byte)0xff, '\n'});
        assertMessage(latin1, CsvFormat.labelNamed("y", ',', null), "line 2 (byte offset 6) holds byte 0xff");
    }

    private static void assertMessage(final Path file, final CsvFormat format, final String part)
    {
        final DataException ex = assertThrows(DataException.class, () -> CsvLoader.load(file, format));
        assertTrue(ex.getMessage().contains(part), ex.getMessage());
        assertEquals(-1, ex.getMessage().indexOf('\n'));
    }
}
