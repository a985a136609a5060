package io.slipstream.launcher.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A benchmark peer's process (mpicc, mpirun, python3): started, its output shown line by line, stopped with its
 * children when it overruns its deadline.
 */
final class PeerProcess
{
    private PeerProcess()
    {
    }

    /** Runs {@code command}, showing its output and error lines on {@code out}; returns its exit status. */
    static int run(final List<String> command, final long timeoutNanos, final PrintStream out)
        throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final Thread pump = new Thread(() ->
        {
            try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = reader.readLine()) != null)
                {
                    out.println(line);
                }
            }
            catch (final IOException ignored)
            {
                // The peer is gone.
            }
        }, "peer-output");
        pump.setDaemon(true);
        pump.start();
        if (!process.waitFor(timeoutNanos, TimeUnit.NANOSECONDS))
        {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            out.println(String.join(" ", command.subList(0, 1)) + " did not finish within " +
                TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s; stopped it");
            return 1;
        }
        pump.join(TimeUnit.SECONDS.toMillis(5));
        return process.exitValue();
    }
}
