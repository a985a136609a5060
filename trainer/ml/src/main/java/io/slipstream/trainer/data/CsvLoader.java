package io.slipstream.trainer.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads a numeric CSV file with one label column into a {@link Dataset}. Every problem is one
 * {@link DataException} line naming the file, the row (1-based line number) and column, and the fix.
 * Cells are plain: no quoting. Blank lines are skipped. The file is checked before it is opened
 * ({@link InputFile}: a regular file whose size fits the heap) and decoded as strict UTF-8; rows are parsed
 * as they are read, so the heap holds the numbers, not the text.
 */
public final class CsvLoader
{
    /**
     * Heap per byte of file while loading: each cell (2-20 characters with its delimiter) becomes an 8-byte
     * double, each row an array header and a reference; then {@link Dataset} holds its own copy.
     */
    static final double HEAP_PER_BYTE = 4.0;
    private static final String WHAT = "CSV file";

    private CsvLoader()
    {
    }

    /** What a long load says while it reads: the data rows parsed so far and the seconds since it started. */
    @FunctionalInterface
    public interface Progress
    {
        void rowsRead(long rows, double seconds);
    }

    /** Rows between two looks at the clock for {@link Progress}. */
    static final int CLOCK_EVERY_ROWS = 1024;

    public static Dataset load(final Path file, final CsvFormat format)
    {
        return load(file, format, Long.MAX_VALUE, (rows, seconds) ->
        {
        });
    }

    /**
     * As {@link #load(Path, CsvFormat)}, telling {@code progress} the rows read so far each time {@code everyNanos}
     * or more have passed since it started or last told (looked at every {@value #CLOCK_EVERY_ROWS} rows), so a
     * load of millions of rows shows it is moving.
     */
    public static Dataset load(final Path file, final CsvFormat format, final long everyNanos, final Progress progress)
    {
        InputFile.check(file, WHAT, HEAP_PER_BYTE);
        final long started = System.nanoTime();
        long told = started;
        final List<double[]> rows = new ArrayList<>();
        final List<String> rawLabelList = new ArrayList<>();
        final Map<String, String> labelTexts = new HashMap<>();
        int[] lineNumbers = new int[1024];
        String[] headerCells = null;
        String[] featureNames = null;
        int width = -1;
        int labelColumn = -1;
        try (InputFile.Lines lines = InputFile.lines(file, WHAT))
        {
            String line;
            while ((line = lines.next()) != null)
            {
                if (line.isBlank())
                {
                    continue;
                }
                final String[] cells = split(line, format.delimiter());
                if (format.header() && headerCells == null)
                {
                    headerCells = cells;
                    continue;
                }
                if (featureNames == null)
                {
                    width = headerCells != null ? headerCells.length : cells.length;
                    labelColumn = format.hasLabel() ? labelColumn(file, format, headerCells, width) : -1;
                    featureNames = featureNames(headerCells, width, labelColumn);
                }
                final int lineNumber = lines.lineNumber();
                rows.add(row(file, cells, width, labelColumn, featureNames, lineNumber));
                if (labelColumn >= 0)
                {
                    final String label = cells[labelColumn].trim();
                    rawLabelList.add(labelTexts.computeIfAbsent(label, (l) -> l));
                }
                if (rows.size() > lineNumbers.length)
                {
                    lineNumbers = Arrays.copyOf(lineNumbers, lineNumbers.length * 2);
                }
                lineNumbers[rows.size() - 1] = lineNumber;
                if (rows.size() % CLOCK_EVERY_ROWS == 0)
                {
                    final long now = System.nanoTime();
                    if (now - told >= everyNanos)
                    {
                        told = now;
                        progress.rowsRead(rows.size(), (now - started) / 1e9);
                    }
                }
            }
        }
        if (rows.isEmpty())
        {
            throw new DataException(WHAT + " " + file + " has no data rows" +
                (format.header() ? " after its header" : "") + "; give a file with at least one row");
        }

        final int n = rows.size();
        final double[][] x = rows.toArray(new double[0][]);
        if (labelColumn < 0)
        {
            final int[] none = new int[n];
            Arrays.fill(none, Dataset.UNLABELED);
            return new Dataset(x, none, featureNames, new String[0]);
        }
        final String[] rawLabels = rawLabelList.toArray(new String[0]);
        final String[] classes = classes(file, format, rawLabels, lineNumbers);
        final Map<String, Integer> classIndex = new HashMap<>();
        for (int c = 0; c < classes.length; c++)
        {
            classIndex.put(classes[c], c);
        }
        final int[] y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = classIndex.get(rawLabels[i]);
        }
        return new Dataset(x, y, featureNames, classes);
    }

    private static String[] featureNames(final String[] headerCells, final int width, final int labelColumn)
    {
        final String[] names = new String[labelColumn >= 0 ? width - 1 : width];
        for (int c = 0, f = 0; c < width; c++)
        {
            if (c != labelColumn)
            {
                names[f++] = headerCells != null ? headerCells[c].trim() : "x" + c;
            }
        }
        return names;
    }

    private static double[] row(
        final Path file, final String[] cells, final int width, final int labelColumn, final String[] featureNames,
        final int lineNumber)
    {
        if (cells.length != width)
        {
            throw new DataException(file + " row " + lineNumber + " has " + cells.length + " cells, expected " +
                width + (cells.length < width ? " (truncated row?)" : "") + "; fix or remove that row");
        }
        final double[] row = new double[featureNames.length];
        for (int c = 0, f = 0; c < width; c++)
        {
            if (c == labelColumn)
            {
                continue;
            }
            final String cell = cells[c].trim();
            try
            {
                row[f] = Double.parseDouble(cell);
            }
            catch (final NumberFormatException ex)
            {
                throw new DataException(file + " row " + lineNumber + " column " + (c + 1) + " ('" +
                    featureNames[f] + "') is not a number: '" + cell + "'; features must be numeric");
            }
            if (!Double.isFinite(row[f]))
            {
                throw new DataException(file + " row " + lineNumber + " column " + (c + 1) + " ('" +
                    featureNames[f] + "') is '" + cell + "'; features must be finite numbers (impute or drop " +
                    "missing values first)");
            }
            f++;
        }
        return row;
    }

    private static int labelColumn(final Path file, final CsvFormat format, final String[] header, final int width)
    {
        if (format.labelName() != null)
        {
            for (int c = 0; c < header.length; c++)
            {
                if (header[c].trim().equals(format.labelName()))
                {
                    return c;
                }
            }
            throw new DataException(file + " has no column named '" + format.labelName() + "'; its header has: " +
                String.join(", ", header));
        }
        if (format.labelIndex() >= width)
        {
            throw new DataException(file + " has " + width + " columns, so label column index " +
                format.labelIndex() + " does not exist; use 0.." + (width - 1));
        }
        if (width < 2)
        {
            throw new DataException(file + " has only one column; it needs at least one feature and a label");
        }
        return format.labelIndex();
    }

    private static String[] classes(
        final Path file, final CsvFormat format, final String[] rawLabels, final int[] lineNumbers)
    {
        if (format.classes() != null)
        {
            final List<String> declared = format.classes();
            for (int i = 0; i < rawLabels.length; i++)
            {
                if (!declared.contains(rawLabels[i]))
                {
                    throw new DataException(file + " row " + lineNumbers[i] + " has label '" + rawLabels[i] +
                        "' which is not a declared class (" + String.join(", ", declared) +
                        "); add it to data.classes or fix the row");
                }
            }
            return declared.toArray(new String[0]);
        }
        boolean numeric = true;
        for (final String label : rawLabels)
        {
            if (!isNumber(label))
            {
                numeric = false;
                break;
            }
        }
        final TreeSet<String> distinct = numeric ?
            new TreeSet<>((a, b) -> Double.compare(Double.parseDouble(a), Double.parseDouble(b))) : new TreeSet<>();
        for (final String label : rawLabels)
        {
            distinct.add(label);
        }
        return distinct.toArray(new String[0]);
    }

    private static boolean isNumber(final String text)
    {
        try
        {
            Double.parseDouble(text);
            return true;
        }
        catch (final NumberFormatException ex)
        {
            return false;
        }
    }

    private static String[] split(final String line, final char delimiter)
    {
        final List<String> cells = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < line.length(); i++)
        {
            if (line.charAt(i) == delimiter)
            {
                cells.add(line.substring(start, i));
                start = i + 1;
            }
        }
        cells.add(line.substring(start));
        return cells.toArray(new String[0]);
    }
}
