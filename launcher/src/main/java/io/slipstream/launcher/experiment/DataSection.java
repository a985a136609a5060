package io.slipstream.launcher.experiment;

import io.slipstream.launcher.spec.SpecException;
import io.slipstream.launcher.spec.SpecNode;
import io.slipstream.trainer.data.Blobs;
import io.slipstream.trainer.data.CsvFormat;
import io.slipstream.trainer.data.CsvLoader;
import io.slipstream.trainer.data.DataException;
import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.data.Iris;
import io.slipstream.trainer.data.SyntheticClassification;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code data} section: where the rows come from, loaded once when the spec is read (every rank reads
 * the same rows). Sources: {@code iris} (built in); {@code csv} ({@code path}, {@code label} (a header
 * name) or {@code label_index}, {@code header} (true), {@code delimiter} (","), {@code classes}, and optionally
 * {@code test}: a second file of the same columns holding the test rows instead of a {@code split});
 * {@code blobs} ({@code samples}, {@code centers}, {@code features}, {@code cluster_std}, {@code seed});
 * {@code classification} ({@code samples}, {@code features}, {@code informative}, {@code classes},
 * {@code class_sep}, {@code seed}). {@code keep_labels} (optional, (0, 1]) keeps that fraction of the
 * training labels per class for semi-supervised runs. A CSV file that takes long to read prints the rows read so
 * far every 30 s.
 */
final class DataSection
{
    private DataSection()
    {
    }

    static final String[] SOURCES = {"iris", "csv", "blobs", "classification"};
    /** A CSV load prints the rows read so far this often (to stdout, which a SLURM log keeps). */
    static final long LOAD_PROGRESS_NANOS = 30_000_000_000L;

    static Dataset load(final SpecNode data)
    {
        if (!data.has("source"))
        {
            throw data.error("source", "is missing; use one of " + String.join(", ", SOURCES));
        }
        final String source = data.choice("source", null, SOURCES);
        switch (source)
        {
            case "iris":
                data.allowOnly("source", "keep_labels");
                return Iris.load();
            case "csv":
                return csv(data);
            case "blobs":
            {
                data.allowOnly("source", "samples", "centers", "features", "cluster_std", "seed", "keep_labels");
                return Blobs.generate((int)data.integer("samples", 1000, 2, 10_000_000),
                    (int)data.integer("centers", 3, 1, 1000), (int)data.integer("features", 2, 1, 10_000),
                    data.decimal("cluster_std", 1.0, 0.0, 1e6),
                    data.integer("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE));
            }
            default:
            {
                data.allowOnly("source", "samples", "features", "informative", "classes", "class_sep", "seed",
                    "keep_labels");
                try
                {
                    return SyntheticClassification.generate((int)data.integer("samples", 10_000, 2, 50_000_000),
                        (int)data.integer("features", 20, 1, 100_000), (int)data.integer("informative", 2, 1, 100_000),
                        (int)data.integer("classes", 2, 2, 10_000), data.decimal("class_sep", 1.0, 0.0, 1e6),
                        data.integer("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE));
                }
                catch (final DataException ex)
                {
                    throw new SpecException(data.path(), ex.getMessage());
                }
            }
        }
    }

    /** {@code keep_labels}, or 1.0 (all labels) when absent. */
    static double keepLabels(final SpecNode data)
    {
        final double keep = data.decimal("keep_labels", 1.0, 0.0, 1.0);
        if (!(keep > 0.0))
        {
            throw data.error("keep_labels", keep + " keeps no labels; allowed (0, 1]");
        }
        return keep;
    }

    /** A CSV file's rows; a long load prints the rows read so far every {@link #LOAD_PROGRESS_NANOS}. */
    private static Dataset loadCsv(final Path path, final CsvFormat format)
    {
        return CsvLoader.load(path, format, LOAD_PROGRESS_NANOS, (rows, seconds) -> System.out.println(String.format(
            Locale.ROOT, "data: %d rows read from %s (%.0f s)", rows, path, seconds)));
    }

    private static Dataset csv(final SpecNode data)
    {
        data.allowOnly("source", "path", "test", "label", "label_index", "header", "delimiter", "classes",
            "keep_labels");
        final Path path = Path.of(data.string("path"));
        final CsvFormat format = format(data);
        try
        {
            return loadCsv(path, format);
        }
        catch (final DataException ex)
        {
            throw new SpecException(data.pathOf("path"), ex.getMessage());
        }
    }

    /**
     * The rows of {@code test} (a CSV file read as {@code path} is, relative to the working directory), or null when
     * the section has none: then the {@code split} section holds out the test rows. The file must have the training
     * file's columns, and only classes the training file has; its labels are numbered as the training file's.
     */
    static Dataset test(final SpecNode data, final Dataset train)
    {
        if (!data.has("test"))
        {
            return null;
        }
        final Path path = Path.of(data.string("test"));
        final Dataset test;
        try
        {
            test = loadCsv(path, format(data));
        }
        catch (final DataException ex)
        {
            throw new SpecException(data.pathOf("test"), ex.getMessage());
        }
        if (!Arrays.equals(test.featureNames(), train.featureNames()))
        {
            throw new SpecException(data.pathOf("test"), path + " has feature columns " +
                String.join(", ", test.featureNames()) + " but " + data.string("path") + " has " +
                String.join(", ", train.featureNames()) + "; give a test file with the training file's columns");
        }
        final List<String> trainClasses = List.of(train.classNames());
        final int[] labels = new int[test.size()];
        for (int i = 0; i < labels.length; i++)
        {
            final int label = test.label(i);
            labels[i] = label == Dataset.UNLABELED ? label : trainClasses.indexOf(test.classNames()[label]);
            if (labels[i] < 0)
            {
                throw new SpecException(data.pathOf("test"), path + " has class '" + test.classNames()[label] +
                    "', which " + data.string("path") + " does not have (" + String.join(", ", trainClasses) +
                    "); a model cannot predict a class it never saw: fix the label or add training rows of it");
            }
        }
        final double[][] rows = new double[test.size()][];
        for (int i = 0; i < rows.length; i++)
        {
            rows[i] = test.row(i);
        }
        return new Dataset(rows, labels, train.featureNames(), train.classNames());
    }

    private static CsvFormat format(final SpecNode data)
    {
        final boolean header = data.bool("header", true);
        final String delimiter = data.string("delimiter", ",");
        if (delimiter.length() != 1)
        {
            throw data.error("delimiter", "'" + delimiter + "' must be a single character, e.g. ',' or ';'");
        }
        List<String> classes = null;
        if (data.has("classes"))
        {
            classes = new ArrayList<>();
            final List<Object> raw = data.list("classes");
            for (int i = 0; i < raw.size(); i++)
            {
                if (raw.get(i) == null || raw.get(i) instanceof List || raw.get(i) instanceof Map)
                {
                    throw new SpecException(data.pathOf("classes") + "[" + i + "]", "expected a class label, found " +
                        SpecNode.describe(raw.get(i)));
                }
                classes.add(String.valueOf(raw.get(i)));
            }
            if (classes.isEmpty())
            {
                throw data.error("classes", "is empty; list the class labels or leave it out");
            }
        }
        if (data.has("label") && data.has("label_index"))
        {
            throw data.error("label_index", "give either label (a column name) or label_index, not both");
        }
        final CsvFormat format;
        try
        {
            if (data.has("label"))
            {
                format = CsvFormat.labelNamed(data.string("label"), delimiter.charAt(0), classes);
            }
            else if (data.has("label_index"))
            {
                format = CsvFormat.labelAt((int)data.integer("label_index", 0, 0, 100_000), header,
                    delimiter.charAt(0), classes);
            }
            else
            {
                if (classes != null)
                {
                    throw data.error("classes", "declares classes but no label column; add label or label_index");
                }
                format = CsvFormat.unlabeled(header, delimiter.charAt(0));
            }
        }
        catch (final IllegalArgumentException ex)
        {
            throw new SpecException(data.path(), ex.getMessage());
        }
        return format;
    }
}
