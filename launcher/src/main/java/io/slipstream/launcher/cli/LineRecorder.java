package io.slipstream.launcher.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An output stream that passes everything on to {@code target} and keeps each complete line, so that
 * {@code bench allreduce --peer} can read back the tables it showed.
 */
final class LineRecorder extends OutputStream
{
    private final PrintStream target;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final List<String> lines = new ArrayList<>();

    LineRecorder(final PrintStream target)
    {
        this.target = target;
    }

    /** A print stream writing through this recorder. */
    PrintStream printStream()
    {
        return new PrintStream(this, true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(final int b)
    {
        target.write(b);
        if (b == '\n')
        {
            lines.add(pending.toString(StandardCharsets.UTF_8));
            pending.reset();
        }
        else if (b != '\r')
        {
            pending.write(b);
        }
    }

    @Override
    public synchronized void flush()
    {
        target.flush();
    }

    /** The complete lines written so far, and then forgets them. */
    synchronized List<String> takeLines()
    {
        final List<String> taken = new ArrayList<>(lines);
        lines.clear();
        return taken;
    }
}
