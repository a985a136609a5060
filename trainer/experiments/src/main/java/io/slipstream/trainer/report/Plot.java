package io.slipstream.trainer.report;

import java.util.List;
import java.util.Locale;

/**
 * One inline SVG chart of {@link HtmlReport}: a plot area with value-to-pixel mapping, axes with ticks (numbers, or
 * category names at 0..n-1) and axis titles. Degenerate ranges (one value) are widened so every point is drawn.
 */
final class Plot
{
    static final String[] PALETTE = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
        "#7f7f7f", "#bcbd22", "#17becf"};
    private static final int LEFT = 62;
    private static final int RIGHT = 16;
    private static final int TOP = 14;
    private static final int BOTTOM = 46;

    private final int width;
    private final int height;
    private final double x0;
    private final double x1;
    private final double y0;
    private final double y1;

    Plot(final int width, final int height, final double xLo, final double xHi, final double yLo, final double yHi)
    {
        this.width = width;
        this.height = height;
        final double[] x = widen(xLo, xHi);
        final double[] y = widen(yLo, yHi);
        this.x0 = x[0];
        this.x1 = x[1];
        this.y0 = y[0];
        this.y1 = y[1];
    }

    private static double[] widen(final double lo, final double hi)
    {
        if (!Double.isFinite(lo) || !Double.isFinite(hi))
        {
            return new double[]{0, 1};
        }
        if (hi > lo)
        {
            final double pad = (hi - lo) * 0.05;
            return new double[]{lo - pad, hi + pad};
        }
        final double pad = Math.max(Math.abs(lo) * 0.05, 1e-3);
        return new double[]{lo - pad, lo + pad};
    }

    double px(final double x)
    {
        return LEFT + (width - LEFT - RIGHT) * (x - x0) / (x1 - x0);
    }

    double py(final double y)
    {
        return height - BOTTOM - (height - TOP - BOTTOM) * (y - y0) / (y1 - y0);
    }

    /**
     * Opens the SVG with numeric ticks on both axes: on x at {@code xTicks} when given (the values a parameter
     * took), else five across the range, rounded to integers when {@code integerX}.
     */
    void open(final StringBuilder html, final String id, final String xTitle, final String yTitle,
        final boolean integerX, final double[] xTicks)
    {
        frame(html, id, xTitle, yTitle);
        final double[] ticks = xTicks != null ? xTicks : new double[5];
        if (xTicks == null)
        {
            for (int t = 0; t <= 4; t++)
            {
                final double v = x0 + (x1 - x0) * (0.05 + 0.9 * t / 4);
                ticks[t] = integerX ? Math.round(v) : v;
            }
        }
        for (final double v : ticks)
        {
            html.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" " +
                "text-anchor=\"middle\">%s</text>\n", px(v), height - BOTTOM + 14,
                integerX ? String.valueOf(Math.round(v)) : number(v)));
        }
    }

    /** Opens the SVG with {@code categories} at x = 0..n-1 (the plot's x range must be -0.5..n-0.5 or so). */
    void openCategorical(final StringBuilder html, final String id, final List<String> categories,
        final String xTitle, final String yTitle)
    {
        frame(html, id, xTitle, yTitle);
        for (int c = 0; c < categories.size(); c++)
        {
            html.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" " +
                "text-anchor=\"middle\">%s</text>\n", px(c), height - BOTTOM + 14,
                HtmlReport.escape(shorten(categories.get(c)))));
        }
    }

    private void frame(final StringBuilder html, final String id, final String xTitle, final String yTitle)
    {
        html.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"%s\" class=\"chart\" " +
            "width=\"%d\" height=\"%d\" role=\"img\"><rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n",
            id, width, height));
        for (int t = 0; t <= 4; t++)
        {
            final double v = y0 + (y1 - y0) * (0.05 + 0.9 * t / 4);
            final double y = py(v);
            html.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>" +
                "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%s</text>\n", LEFT, y, width - RIGHT,
                y, LEFT - 4, y + 3, number(v)));
        }
        html.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>" +
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>\n", LEFT, height - BOTTOM, width - RIGHT,
            height - BOTTOM, LEFT, TOP, LEFT, height - BOTTOM));
        html.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s" +
            "</text><text x=\"12\" y=\"%d\" font-size=\"12\" transform=\"rotate(-90 12 %d)\" text-anchor=\"middle\">" +
            "%s</text>\n", (LEFT + width - RIGHT) / 2, height - 10, HtmlReport.escape(xTitle), (TOP + height - BOTTOM) / 2,
            (TOP + height - BOTTOM) / 2, HtmlReport.escape(yTitle)));
    }

    static void close(final StringBuilder html)
    {
        html.append("</svg>\n");
    }

    /** A tick label: whole numbers as such, else about 3 significant digits, no exponent for ordinary magnitudes. */
    static String number(final double v)
    {
        final double a = Math.abs(v);
        if (v == Math.rint(v) && a < 1e6)
        {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a != 0 && (a < 1e-3 || a >= 1e6))
        {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 1 ? "%.2f" : "%.3f", v);
    }

    private static String shorten(final String text)
    {
        return text.length() <= 14 ? text : text.substring(0, 13) + "\u2026";
    }
}
