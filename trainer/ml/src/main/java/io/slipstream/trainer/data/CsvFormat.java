package io.slipstream.trainer.data;

import java.util.List;

/**
 * How to read a CSV file: the label column (by header name, or by zero-based index when
 * {@code labelName} is null, or none at all with {@link #unlabeled}), whether the first line is a header,
 * the delimiter, and optionally the declared class names (labels outside them are an error; without them
 * the classes are the distinct labels found, numerically sorted when all are numbers, otherwise sorted as
 * text).
 */
public record CsvFormat(String labelName, int labelIndex, boolean header, char delimiter, List<String> classes)
{
    /** {@link #labelIndex} of a file without a label column: every column is a feature. */
    public static final int NO_LABEL = -1;

    public CsvFormat
    {
        if (labelName == null && labelIndex < NO_LABEL)
        {
            throw new IllegalArgumentException("label column index must be >= 0, got " + labelIndex);
        }
        if (labelName != null && !header)
        {
            throw new IllegalArgumentException("label column '" + labelName + "' is named but the file has no " +
                "header; give the column's index instead or set header to true");
        }
        classes = classes == null ? null : List.copyOf(classes);
    }

    public static CsvFormat labelNamed(final String name, final char delimiter, final List<String> classes)
    {
        return new CsvFormat(name, 0, true, delimiter, classes);
    }

    /** Every column is a feature; the rows are unlabeled (for clustering). */
    public static CsvFormat unlabeled(final boolean header, final char delimiter)
    {
        return new CsvFormat(null, NO_LABEL, header, delimiter, null);
    }

    public boolean hasLabel()
    {
        return labelName != null || labelIndex != NO_LABEL;
    }

    public static CsvFormat labelAt(final int index, final boolean header, final char delimiter,
        final List<String> classes)
    {
        return new CsvFormat(null, index, header, delimiter, classes);
    }
}
