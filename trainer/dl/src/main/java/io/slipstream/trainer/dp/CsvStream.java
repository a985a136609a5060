package io.slipstream.trainer.dp;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Online mode: one pass over a CSV file too large for memory, read a batch at a time. Rows are
 * numeric features followed by an integer class label in the last column; an optional header line is
 * skipped. Rank r of N reads data rows r, r + N, r + 2N... counted from the resume position, so only
 * one batch per rank is ever in memory.
 */
public final class CsvStream implements BatchSource, AutoCloseable
{
    private final Path file;
    private final boolean header;
    private final int numFeatures;
    private final int numClasses;
    private final int rank;
    private final int worldSize;
    private final int batchSize;
    private final float[][] rows;
    private final int[] labels;
    private BufferedReader reader;
    private long line;
    private long dataRow;
    private long firstRow;

    public CsvStream(
        final Path file,
        final boolean header,
        final int numFeatures,
        final int numClasses,
        final int rank,
        final int worldSize,
        final int batchSize)
    {
        if (numFeatures < 1 || numClasses < 2 || batchSize < 1 || rank < 0 || rank >= worldSize)
        {
            throw new IllegalArgumentException("online CSV needs features >= 1, classes >= 2, batch_size >= 1 and " +
                "0 <= rank < world size; got " + numFeatures + ", " + numClasses + ", " + batchSize + ", " + rank +
                "/" + worldSize);
        }
        this.file = file;
        this.header = header;
        this.numFeatures = numFeatures;
        this.numClasses = numClasses;
        this.rank = rank;
        this.worldSize = worldSize;
        this.batchSize = batchSize;
        rows = new float[batchSize][numFeatures];
        labels = new int[batchSize];
    }

    @Override
    public int epochs()
    {
        return 1;
    }

    @Override
    public void startEpoch(final int epoch, final long samplesInEpoch)
    {
        if (epoch != 0)
        {
            throw new IllegalArgumentException("an online stream is read once: epoch " + epoch + " does not exist");
        }
        close();
        try
        {
            reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open " + file + ": " + ex.getMessage(), ex);
        }
        line = 0;
        dataRow = 0;
        firstRow = samplesInEpoch;
        if (header)
        {
            readLine();
        }
    }

    @Override
    public DataSet next()
    {
        if (reader == null)
        {
            return null;
        }
        int n = 0;
        String text;
        while (n < batchSize && (text = readLine()) != null)
        {
            if (text.isBlank())
            {
                continue;
            }
            final long row = dataRow++;
            if (row < firstRow || (row - firstRow) % worldSize != rank)
            {
                continue;
            }
            parse(text, n++);
        }
        if (n == 0)
        {
            close();
            return null;
        }
        final INDArray x = Nd4j.create(DataType.FLOAT, n, numFeatures);
        final INDArray y = Nd4j.zeros(DataType.FLOAT, n, numClasses);
        for (int i = 0; i < n; i++)
        {
            for (int f = 0; f < numFeatures; f++)
            {
                x.putScalar(i, f, rows[i][f]);
            }
            y.putScalar(i, labels[i], 1.0);
        }
        return new DataSet(x, y);
    }

    private void parse(final String text, final int slot)
    {
        final String[] cells = text.split(",", -1);
        if (cells.length != numFeatures + 1)
        {
            throw new IllegalArgumentException(file + ":" + line + ": " + cells.length + " columns, expected " +
                (numFeatures + 1) + " (" + numFeatures + " features and the label last)");
        }
        for (int f = 0; f < numFeatures; f++)
        {
            try
            {
                rows[slot][f] = Float.parseFloat(cells[f].trim());
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException(file + ":" + line + ": column " + (f + 1) + " is '" + cells[f] +
                    "', not a number: fix or remove the row");
            }
        }
        final int label;
        try
        {
            label = Integer.parseInt(cells[numFeatures].trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(file + ":" + line + ": label '" + cells[numFeatures] +
                "' is not an integer class index");
        }
        if (label < 0 || label >= numClasses)
        {
            throw new IllegalArgumentException(file + ":" + line + ": label " + label + " is outside 0.." +
                (numClasses - 1) + ": declare more classes or fix the row");
        }
        labels[slot] = label;
    }

    private String readLine()
    {
        try
        {
            final String text = reader.readLine();
            line++;
            return text;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + file + " at line " + line + ": " + ex.getMessage(), ex);
        }
    }

    @Override
    public void close()
    {
        if (reader != null)
        {
            try
            {
                reader.close();
            }
            catch (final IOException ignore)
            {
                // Read-only file: nothing is lost when closing fails.
            }
            reader = null;
        }
    }
}
