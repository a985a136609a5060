package io.slipstream.launcher.bench;

import io.slipstream.trainer.report.ExperimentSummary;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code slipstream bench search}: the reference experiment (by default the Iris random-forest grid, 540
 * fits) on N local ranks, then scikit-learn's GridSearchCV with {@code n_jobs=N} on the same grid
 * ({@code jmh/peers/sklearn_grid.py}), in the same run, each as one line in the same format, and the
 * ratio of their wall times.
 *
 * <p>What is timed. Slipstream's {@code wall_s}: the whole {@code slipstream local -n N} call as the
 * caller's {@link LocalRun} makes it: spec validation, starting the N rank JVMs, joining the world, the
 * split, 540 CV fits, the refit, the test score and the report files, until every rank has exited.
 * {@code search_s} is the part inside the job on rank 0 ({@code summary.json}'s {@code wall_seconds}).
 * scikit-learn's {@code wall_s}: {@code GridSearchCV.fit} (540 fits + the refit) and the test score,
 * measured by the script, without the interpreter start, imports and loading Iris; {@code process_s}:
 * the whole Python process. The ratio divides Slipstream's end-to-end time by scikit-learn's fit time,
 * which charges the JVM starts to Slipstream only; the process-to-process ratio is printed beside it.
 */
public final class SearchBenchmark
{
    /** The line prefix the peer script prints; anything else on its stdout is ignored. */
    static final String PEER_PREFIX = "peer=";
    private static final long PEER_POLL_MILLIS = 50;

    /**
     * Runs {@code jobFile} on {@code ranks} local ranks with {@code runDir} as the run directory, as
     * {@code slipstream local -n ranks --run-dir runDir jobFile} does, and returns its exit code.
     */
    @FunctionalInterface
    public interface LocalRun
    {
        int run(int ranks, Path jobFile, Path runDir) throws Exception;
    }

    /**
     * @param jobFile     the experiment spec; its grid must be the one the peer script runs.
     * @param ranks       local ranks, and the peer's {@code n_jobs}.
     * @param runDir      the Slipstream run's directory (must not hold an earlier run's outputs).
     * @param python      the interpreter that has scikit-learn (Debian's {@code /usr/bin/python3}).
     * @param peerScript  {@code jmh/peers/sklearn_grid.py}.
     * @param peerTimeoutNanos how long the peer may run before it is killed.
     */
    public record Options(Path jobFile, int ranks, Path runDir, Path python, Path peerScript, long peerTimeoutNanos)
    {
        public static final String REFERENCE_JOB = "examples/iris-random-forest-grid.yaml";
        public static final String PEER_SCRIPT = "jmh/peers/sklearn_grid.py";
        public static final String DEBIAN_PYTHON = "/usr/bin/python3";

        public Options
        {
            if (ranks < 1)
            {
                throw new IllegalArgumentException("ranks must be at least 1, got " + ranks);
            }
            if (peerTimeoutNanos <= 0)
            {
                throw new IllegalArgumentException("peer timeout must be positive, got " + peerTimeoutNanos + " ns");
            }
        }

        /** The reference job and peer script under the project directory {@code home}, with a 15 minute peer limit. */
        public static Options reference(final Path home, final int ranks, final Path runDir)
        {
            return new Options(home.resolve(REFERENCE_JOB), ranks, runDir, Path.of(DEBIAN_PYTHON),
                home.resolve(PEER_SCRIPT), TimeUnit.MINUTES.toNanos(15));
        }
    }

    /** One side's figures, parsed from {@code summary.json} or the peer's line. */
    record Figures(String line, double wallSeconds)
    {
    }

    private final Options options;
    private final LocalRun localRun;
    private final PrintStream out;

    public SearchBenchmark(final Options options, final LocalRun localRun, final PrintStream out)
    {
        this.options = options;
        this.localRun = localRun;
        this.out = out;
    }

    /**
     * Runs both sides and prints their lines and the ratio. Returns 0, the Slipstream run's exit code when
     * it failed, or 1 when the peer failed (with one line saying why).
     */
    public int run() throws Exception
    {
        if (!Files.isRegularFile(options.peerScript()))
        {
            out.println("bench search: peer script " + options.peerScript() + " is missing; run from a Slipstream " +
                "checkout (slipstream.home)");
            return 1;
        }
        out.println("bench search: " + options.jobFile() + " on " + options.ranks() + " local ranks, then " +
            "scikit-learn GridSearchCV n_jobs=" + options.ranks() + " on the same grid");
        final long start = System.nanoTime();
        final int status = localRun.run(options.ranks(), options.jobFile(), options.runDir());
        final double slipstreamWall = (System.nanoTime() - start) / 1e9;
        if (status != 0)
        {
            out.println("bench search: the Slipstream run failed with exit code " + status + "; see its output above");
            return status;
        }
        final Figures slipstream = slipstreamFigures(options.runDir().resolve(ExperimentSummary.SUMMARY),
            options.ranks(), slipstreamWall);

        final long peerStart = System.nanoTime();
        final String peerLine = runPeer();
        final double peerProcess = (System.nanoTime() - peerStart) / 1e9;
        if (peerLine == null)
        {
            return 1;
        }
        final Figures peer = new Figures(peerLine + String.format(Locale.ROOT, " process_s=%.3f", peerProcess),
            peerWallSeconds(peerLine));

        out.println(slipstream.line());
        out.println(peer.line());
        out.println(String.format(Locale.ROOT, "ratio: slipstream wall_s / scikit-learn wall_s = %.3f " +
            "(process to process %.3f); below 1 is faster than scikit-learn",
            slipstream.wallSeconds() / peer.wallSeconds(), slipstream.wallSeconds() / peerProcess));
        return 0;
    }

    /** Slipstream's line from rank 0's summary, in the peer's key order. */
    static Figures slipstreamFigures(final Path summaryFile, final int ranks, final double wallSeconds)
        throws IOException
    {
        if (!Files.isRegularFile(summaryFile))
        {
            throw new IOException(summaryFile + " is missing: the job must write its report (output.report: true)");
        }
        final JsonNode summary = new ObjectMapper().readTree(summaryFile.toFile());
        final Map<String, String> params = new TreeMap<>();
        final Iterator<Map.Entry<String, JsonNode>> fields = summary.path("best_params").fields();
        while (fields.hasNext())
        {
            final Map.Entry<String, JsonNode> e = fields.next();
            // Python's spelling of an unlimited depth, so both lines can be compared by eye.
            params.put(e.getKey(), e.getValue().isNull() ? "None" : e.getValue().asText());
        }
        final List<String> pairs = new ArrayList<>();
        for (final Map.Entry<String, String> e : params.entrySet())
        {
            pairs.add(e.getKey() + "=" + e.getValue());
        }
        final String line = String.format(Locale.ROOT,
            "slipstream ranks=%d fits=%d wall_s=%.3f best_cv=%.6f test_accuracy=%.6f best_params=%s search_s=%.3f",
            ranks, summary.path("fits").asInt(), wallSeconds, summary.path("best_cv_score").asDouble(),
            summary.path("test").path("accuracy").asDouble(), String.join(",", pairs),
            summary.path("wall_seconds").asDouble());
        return new Figures(line, wallSeconds);
    }

    /** The {@code wall_s} field of the peer's line. */
    static double peerWallSeconds(final String line)
    {
        for (final String field : line.split(" "))
        {
            if (field.startsWith("wall_s="))
            {
                try
                {
                    return Double.parseDouble(field.substring("wall_s=".length()));
                }
                catch (final NumberFormatException ex)
                {
                    break;
                }
            }
        }
        throw new IllegalArgumentException("the peer's line has no wall_s=<seconds>: " + line);
    }

    /** Runs the peer script; returns its result line, or null after printing why there is none. */
    private String runPeer() throws IOException, InterruptedException
    {
        final ProcessBuilder builder = new ProcessBuilder(options.python().toString(),
            options.peerScript().toString(), "--n-jobs", Integer.toString(options.ranks())).redirectErrorStream(true);
        final Process process;
        try
        {
            process = builder.start();
        }
        catch (final IOException ex)
        {
            out.println("bench search: cannot start " + options.python() + " (" + ex.getMessage() + "); install " +
                "the peers with jmh/peers/install-peers.sh");
            return null;
        }
        final List<String> lines = new ArrayList<>();
        final Thread pump = new Thread(() -> collect(process, lines), "bench-search-peer-output");
        pump.setDaemon(true);
        pump.start();
        final long deadline = System.nanoTime() + options.peerTimeoutNanos();
        while (!process.waitFor(PEER_POLL_MILLIS, TimeUnit.MILLISECONDS))
        {
            if (System.nanoTime() - deadline >= 0)
            {
                process.destroyForcibly().waitFor();
                out.println("bench search: scikit-learn took over " +
                    TimeUnit.NANOSECONDS.toSeconds(options.peerTimeoutNanos()) + " s; stopped it");
                return null;
            }
        }
        pump.join(TimeUnit.SECONDS.toMillis(5));
        synchronized (lines)
        {
            for (final String line : lines)
            {
                if (line.startsWith(PEER_PREFIX))
                {
                    return line;
                }
            }
            out.println("bench search: scikit-learn exited with " + process.exitValue() + " and no result line" +
                (lines.isEmpty() ? "" : ": " + lines.get(lines.size() - 1)));
        }
        return null;
    }

    private static void collect(final Process process, final List<String> lines)
    {
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                synchronized (lines)
                {
                    lines.add(line);
                }
            }
        }
        catch (final IOException ignored)
        {
            // The peer is gone and so is its pipe.
        }
    }
}
