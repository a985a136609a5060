package io.slipstream.trainer.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A file the user named as input (a data file, a job spec), checked before it is opened and read as strict
 * UTF-8: it must be a regular file (a FIFO would block the reader, {@code /dev/zero} or a directory never ends
 * or is not text), its size must fit what reading it costs in this JVM's heap, and a byte sequence that is not
 * UTF-8 is refused naming the file, the line and the byte offset. Every refusal is one {@link DataException}
 * line naming the problem and the fix.
 */
public final class InputFile
{
    private static final long MIB = 1 << 20;

    private InputFile()
    {
    }

    /**
     * Checks {@code file} ({@code what} names it in errors, e.g. "CSV file") and returns its size. Reading it is
     * expected to take {@code heapPerByte} bytes of heap per byte of file; a file that would not fit the heap
     * this JVM can still get is refused with the size, the limit and {@code SLIPSTREAM_JAVA_OPTS=-Xmx...}.
     */
    public static long check(final Path file, final String what, final double heapPerByte)
    {
        final BasicFileAttributes attributes;
        try
        {
            // Attributes only: the file is not opened, so a FIFO cannot block here.
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        }
        catch (final NoSuchFileException ex)
        {
            throw new DataException(what + " " + file + " does not exist: check the path");
        }
        catch (final AccessDeniedException ex)
        {
            throw new DataException(what + " " + file + " cannot be read: permission denied");
        }
        catch (final IOException ex)
        {
            throw new DataException("cannot read " + what + " " + file + ": " + ex.getMessage());
        }
        if (!attributes.isRegularFile())
        {
            throw new DataException(what + " " + file + " is " + kind(attributes) + ", not a regular file: give " +
                "the path of a file");
        }
        final long size = attributes.size();
        final Runtime runtime = Runtime.getRuntime();
        final long available = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
        final double needed = size * heapPerByte;
        if (needed > available)
        {
            throw new DataException(what + " " + file + " is " + mib(size) + " MiB; reading it needs about " +
                mib((long)needed) + " MiB of heap, but this JVM has " + mib(available) + " MiB free of at most " +
                mib(runtime.maxMemory()) + " MiB: give it more with SLIPSTREAM_JAVA_OPTS=-Xmx" +
                Math.max(2, (long)Math.ceil(2 * (needed + (runtime.maxMemory() - available)) / (1L << 30))) +
                "g, or use a smaller file");
        }
        return size;
    }

    /** The whole file as text, after {@link #check} with {@code maxBytes} as an absolute limit too. */
    public static String readText(final Path file, final String what, final long maxBytes)
    {
        final long size = check(file, what, 3.0);
        if (size > maxBytes)
        {
            throw new DataException(what + " " + file + " is " + size + " bytes, more than the " + maxBytes +
                " a " + what + " may have: is it the right file?");
        }
        final StringBuilder text = new StringBuilder((int)size);
        try (Lines lines = lines(file, what))
        {
            String line;
            boolean first = true;
            while ((line = lines.next()) != null)
            {
                if (!first)
                {
                    text.append('\n');
                }
                text.append(line);
                first = false;
            }
        }
        return text.toString();
    }

    /** Opens {@code file}'s lines, after {@link #check}. Line ends are {@code \n} or {@code \r\n}. */
    public static Lines lines(final Path file, final String what)
    {
        try
        {
            return new Lines(file, what, new BufferedInputStream(Files.newInputStream(file), 1 << 16));
        }
        catch (final IOException ex)
        {
            throw new DataException("cannot read " + what + " " + file + ": " + ex.getMessage());
        }
    }

    /** A file's lines, decoded as strict UTF-8; knows the line number and byte offset of the line it returned. */
    public static final class Lines implements Closeable
    {
        private final Path file;
        private final String what;
        private final InputStream in;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        private int lineNumber;
        private long offset;

        private Lines(final Path file, final String what, final InputStream in)
        {
            this.file = file;
            this.what = what;
            this.in = in;
        }

        /** The next line without its end, or null at the end of the file. */
        public String next()
        {
            bytes.reset();
            int b;
            try
            {
                while ((b = in.read()) >= 0 && b != '\n')
                {
                    bytes.write(b);
                }
            }
            catch (final IOException ex)
            {
                throw new DataException("cannot read " + what + " " + file + " after line " + lineNumber + ": " +
                    ex.getMessage());
            }
            if (b < 0 && bytes.size() == 0)
            {
                return null;
            }
            final long lineStart = offset;
            offset += bytes.size() + (b < 0 ? 0 : 1);
            lineNumber++;
            final byte[] raw = bytes.toByteArray();
            final int length = raw.length > 0 && raw[raw.length - 1] == '\r' ? raw.length - 1 : raw.length;
            return decode(ByteBuffer.wrap(raw, 0, length), lineStart);
        }

        /** The 1-based number of the line {@link #next()} returned last. */
        public int lineNumber()
        {
            return lineNumber;
        }

        private String decode(final ByteBuffer line, final long lineStart)
        {
            final CharBuffer chars = CharBuffer.allocate(line.remaining());
            decoder.reset();
            CoderResult result = decoder.decode(line, chars, true);
            if (!result.isError())
            {
                result = decoder.flush(chars);
            }
            if (result.isError())
            {
                final long at = lineStart + line.position();
                throw new DataException(file + " line " + lineNumber + " (byte offset " + at + ") holds " +
                    String.format("byte 0x%02x", line.get(line.position()) & 0xff) + ", which is not UTF-8: save the " +
                    what + " as UTF-8");
            }
            return chars.flip().toString();
        }

        @Override
        public void close()
        {
            try
            {
                in.close();
            }
            catch (final IOException ex)
            {
                throw new DataException("cannot close " + what + " " + file + ": " + ex.getMessage());
            }
        }
    }

    private static String kind(final BasicFileAttributes attributes)
    {
        if (attributes.isDirectory())
        {
            return "a directory";
        }
        if (attributes.isOther())
        {
            return "a device, FIFO or socket";
        }
        return "a symbolic link that leads nowhere";
    }

    private static long mib(final long bytes)
    {
        return (bytes + MIB - 1) / MIB;
    }
}
