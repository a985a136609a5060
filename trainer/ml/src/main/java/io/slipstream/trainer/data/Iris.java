package io.slipstream.trainer.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The 150-row Iris data set (Fisher, 1936), shipped beside this class as {@code iris.dat}: four measurements and the
 * class index per line. Shipped here so classic ML needs no DL4J jar and no network.
 */
public final class Iris
{
    public static final String RESOURCE = "iris.dat";
    private static final String[] FEATURES = {"sepal_length", "sepal_width", "petal_length", "petal_width"};
    private static final String[] CLASSES = {"setosa", "versicolor", "virginica"};

    private Iris()
    {
    }

    public static Dataset load()
    {
        final double[][] x = new double[150][];
        final int[] y = new int[150];
        int n = 0;
        try (InputStream in = Iris.class.getResourceAsStream(RESOURCE))
        {
            if (in == null)
            {
                throw new IllegalStateException(RESOURCE + " is missing beside " + Iris.class.getName() + "; rebuild the trainer-ml jar");
            }
            final BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String line;
            while ((line = reader.readLine()) != null)
            {
                if (line.isBlank())
                {
                    continue;
                }
                final String[] cells = line.split(",");
                final double[] row = new double[FEATURES.length];
                for (int f = 0; f < FEATURES.length; f++)
                {
                    row[f] = Double.parseDouble(cells[f]);
                }
                x[n] = row;
                y[n] = Integer.parseInt(cells[FEATURES.length].trim());
                n++;
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + RESOURCE, ex);
        }
        if (n != 150)
        {
            throw new IllegalStateException(RESOURCE + " has " + n + " rows, expected 150");
        }
        return new Dataset(x, y, FEATURES, CLASSES);
    }
}
