package io.slipstream.trainer.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

/**
 * Writes a JSON tree (maps, collections, arrays, numbers, booleans, strings, null) indented by two spaces, so the
 * summaries need no JSON library and this module no ND4J. Non-finite numbers, which JSON cannot carry, are
 * written as {@code null}.
 */
public final class JsonText
{
    private JsonText()
    {
    }

    /** Writes {@code value} and a final newline to {@code out} as UTF-8; {@code out} stays open. */
    public static void write(final OutputStream out, final Object value) throws IOException
    {
        final Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        value(writer, value, 0);
        writer.write('\n');
        writer.flush();
    }

    private static void value(final Writer out, final Object value, final int depth) throws IOException
    {
        if (value == null)
        {
            out.write("null");
        }
        else if (value instanceof Map<?, ?> map)
        {
            object(out, map, depth);
        }
        else if (value instanceof Collection<?> items)
        {
            array(out, items.toArray(), depth);
        }
        else if (value.getClass().isArray())
        {
            final Object[] items = new Object[Array.getLength(value)];
            for (int i = 0; i < items.length; i++)
            {
                items[i] = Array.get(value, i);
            }
            array(out, items, depth);
        }
        else if (value instanceof Double || value instanceof Float)
        {
            final double d = ((Number)value).doubleValue();
            out.write(Double.isFinite(d) ? value.toString() : "null");
        }
        else if (value instanceof Number || value instanceof Boolean)
        {
            out.write(value.toString());
        }
        else
        {
            string(out, value.toString());
        }
    }

    private static void object(final Writer out, final Map<?, ?> map, final int depth) throws IOException
    {
        if (map.isEmpty())
        {
            out.write("{ }");
            return;
        }
        out.write('{');
        boolean first = true;
        for (final Map.Entry<?, ?> e : map.entrySet())
        {
            out.write(first ? "\n" : ",\n");
            first = false;
            indent(out, depth + 1);
            string(out, String.valueOf(e.getKey()));
            out.write(" : ");
            value(out, e.getValue(), depth + 1);
        }
        out.write('\n');
        indent(out, depth);
        out.write('}');
    }

    private static void array(final Writer out, final Object[] items, final int depth) throws IOException
    {
        out.write("[ ");
        for (int i = 0; i < items.length; i++)
        {
            if (i > 0)
            {
                out.write(", ");
            }
            value(out, items[i], depth);
        }
        out.write(items.length == 0 ? "]" : " ]");
    }

    private static void indent(final Writer out, final int depth) throws IOException
    {
        for (int i = 0; i < depth; i++)
        {
            out.write("  ");
        }
    }

    private static void string(final Writer out, final String text) throws IOException
    {
        out.write('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"' -> out.write("\\\"");
                case '\\' -> out.write("\\\\");
                case '\n' -> out.write("\\n");
                case '\r' -> out.write("\\r");
                case '\t' -> out.write("\\t");
                default ->
                {
                    if (c < 0x20)
                    {
                        out.write(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        out.write(c);
                    }
                }
            }
        }
        out.write('"');
    }
}
