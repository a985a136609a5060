package io.slipstream.launcher.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command started for a test: its output (stdout and stderr together) collected as it comes, waits
 * with deadlines, and a kill of its whole process tree when the test is done with it.
 */
public final class CommandRun implements AutoCloseable
{
    /** The launcher module directory (surefire runs tests there). */
    public static final Path MODULE = Path.of("").toAbsolutePath();
    public static final Path SLIPSTREAM = MODULE.resolve("bin/slipstream");
    public static final Path REPOSITORY = MODULE.getParent();

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;

    private CommandRun(final Process process)
    {
        this.process = process;
        this.reader = new Thread(this::read, "command-output");
        reader.setDaemon(true);
        reader.start();
    }

    public static CommandRun start(final Path dir, final Map<String, String> env, final String... command)
        throws IOException
    {
        final ProcessBuilder builder = new ProcessBuilder(List.of(command)).directory(dir.toFile())
            .redirectErrorStream(true);
        builder.environment().putAll(env);
        return new CommandRun(builder.start());
    }

    /** Runs to completion within {@code seconds}; returns the exit status. */
    public static CommandRun run(final Path dir, final Map<String, String> env, final long seconds,
        final String... command) throws IOException, InterruptedException
    {
        final CommandRun run = start(dir, env, command);
        run.waitFor(seconds);
        return run;
    }

    private void read()
    {
        final byte[] chunk = new byte[8192];
        try (InputStream in = process.getInputStream())
        {
            int n;
            while ((n = in.read(chunk)) > 0)
            {
                output.append(new String(chunk, 0, n, StandardCharsets.UTF_8));
            }
        }
        catch (final IOException ignored)
        {
            // The process is gone.
        }
    }

    public Process process()
    {
        return process;
    }

    public String output()
    {
        return output.toString();
    }

    /** Waits until the output contains {@code text}; fails (with the output so far) after {@code seconds}. */
    public void awaitOutput(final String text, final long seconds) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (output.indexOf(text) < 0)
        {
            if (System.nanoTime() - deadline > 0 || !process.isAlive() && output.indexOf(text) < 0 && !reader.isAlive())
            {
                throw new AssertionError("no '" + text + "' within " + seconds + " s; output:\n" + output);
            }
            Thread.sleep(20);
        }
    }

    /** Waits for the exit; fails (with the output) after {@code seconds}. Returns the status. */
    public int waitFor(final long seconds) throws InterruptedException
    {
        if (!process.waitFor(seconds, TimeUnit.SECONDS))
        {
            throw new AssertionError("still running after " + seconds + " s; output:\n" + output);
        }
        reader.join(TimeUnit.SECONDS.toMillis(5));
        return process.exitValue();
    }

    /** The process and every descendant, for checks that nothing is left. */
    public List<ProcessHandle> tree()
    {
        final List<ProcessHandle> all = new ArrayList<>();
        all.add(process.toHandle());
        process.toHandle().descendants().forEach(all::add);
        return all;
    }

    @Override
    public void close()
    {
        final List<ProcessHandle> all = tree();
        all.forEach(ProcessHandle::destroyForcibly);
    }
}
