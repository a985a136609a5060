package io.slipstream.launcher.corpus;

import io.slipstream.comm.JvmFlags;
import io.slipstream.launcher.cli.Slipstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The shared harness for bad-input and fault cases: runs one {@code slipstream} command with a time bound, either
 * in this JVM through the CLI's entry point with its own output streams ({@link #inProcess}; nothing global is
 * swapped, log records are caught by a handler) or as a child JVM with exactly the given environment
 * ({@link #child}), and {@link #broken} lists every rule the outcome breaks: the exit code, exactly one line on
 * stderr starting {@code slipstream: } and naming the expected parts, no stack trace, no hang, and nothing left
 * behind (new {@code /dev/shm} entries, processes whose command line holds the case's marker).
 */
final class CaseRun
{
    private static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s+at [\\w$.]+\\(|^Caused by: |^Exception in ");
    private static final Path SHM = Path.of("/dev/shm");
    private static final long SETTLE_MILLIS = 2_000;

    private CaseRun()
    {
    }

    /** What a case did. {@code hung} when it did not end within its bound (it was then killed). */
    record Outcome(int code, boolean hung, String out, String err, List<String> logRecords, boolean logThrown,
        Set<String> shmLeft, List<String> processesLeft)
    {
        /** Non-blank stderr lines other than rank 0's "topology from ..." banner, which is information. */
        List<String> errLines()
        {
            final List<String> lines = new ArrayList<>();
            for (final String line : err.split("\n"))
            {
                if (!line.isBlank() && !line.startsWith("slipstream: rank 0: topology from ") &&
                    !line.startsWith("WARNING: Using incubator modules"))
                {
                    lines.add(line);
                }
            }
            return lines;
        }

        String describe()
        {
            return "exit " + code + (hung ? " (hung, killed)" : "") + ", stderr:\n" + err + "log records: " +
                logRecords + "\nstdout:\n" + out;
        }
    }

    /** Runs the CLI in this JVM with {@code env} as its whole environment, ended as hung after {@code limit}. */
    static Outcome inProcess(final Map<String, String> env, final Duration limit, final String... args)
        throws IOException, InterruptedException
    {
        final Set<String> shmBefore = shmEntries();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final List<String> records = new ArrayList<>();
        final boolean[] thrown = new boolean[1];
        final Handler capture = new Handler()
        {
            @Override
            public void publish(final LogRecord record)
            {
                if (record.getLevel().intValue() >= Level.INFO.intValue())
                {
                    synchronized (records)
                    {
                        records.add(record.getLevel() + " " + record.getLoggerName() + ": " + record.getMessage());
                        thrown[0] |= record.getThrown() != null;
                    }
                }
            }

            @Override
            public void flush()
            {
            }

            @Override
            public void close()
            {
            }
        };
        final Logger root = Logger.getLogger("");
        final int[] code = {-1};
        final Throwable[] escaped = new Throwable[1];
        boolean hung;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8))
        {
            root.addHandler(capture);
            final Thread cli = new Thread(() ->
            {
                try
                {
                    code[0] = new Slipstream(o, e, env).execute(args);
                }
                catch (final Throwable t)
                {
                    escaped[0] = t;
                }
            }, "case-cli");
            cli.setDaemon(true);
            try
            {
                cli.start();
                cli.join(limit.toMillis());
                hung = cli.isAlive();
                if (hung)
                {
                    cli.interrupt();
                }
            }
            finally
            {
                root.removeHandler(capture);
            }
        }
        if (escaped[0] != null)
        {
            throw new AssertionError("the CLI threw instead of returning an exit code", escaped[0]);
        }
        synchronized (records)
        {
            return new Outcome(code[0], hung, out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8),
                List.copyOf(records), thrown[0], shmLeftSince(shmBefore), List.of());
        }
    }

    /**
     * Runs {@code slipstream args} as a child JVM (this test JVM's java and classpath, {@code javaOptions} first) in
     * {@code dir} with only {@code env} and PATH/HOME in its environment; its whole process tree is killed after
     * {@code limit}. {@code marker} (a path unique to the case) finds processes it left behind.
     */
    static Outcome child(final Path dir, final Map<String, String> env, final List<String> javaOptions,
        final Duration limit, final String marker, final String... args) throws IOException, InterruptedException
    {
        final Process process = startChild(dir, env, javaOptions, args);
        return finish(process, dir, limit, marker, shmEntries());
    }

    /** Starts the child of {@link #child} without waiting: for a case that signals it. */
    static Process startChild(final Path dir, final Map<String, String> env, final List<String> javaOptions,
        final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        command.addAll(List.of(JvmFlags.EXPORT_MISC, JvmFlags.NATIVE_ACCESS, "-XX:-UsePerfData", "-cp",
            System.getProperty("java.class.path"), Slipstream.class.getName()));
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
            .redirectOutput(dir.resolve("case.out").toFile()).redirectError(dir.resolve("case.err").toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().put("HOME", System.getProperty("user.home"));
        builder.environment().putAll(env);
        return builder.start();
    }

    /** Waits for a child of {@link #startChild} within {@code limit} and collects its outcome. */
    static Outcome finish(final Process process, final Path dir, final Duration limit, final String marker,
        final Set<String> shmBefore) throws IOException, InterruptedException
    {
        final boolean hung = !process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (hung)
        {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        final List<String> left = processesWith(marker);
        return new Outcome(hung ? -1 : process.exitValue(), hung, Files.readString(dir.resolve("case.out")),
            Files.readString(dir.resolve("case.err")), List.of(), false, shmLeftSince(shmBefore), left);
    }

    /** Every rule {@code outcome} breaks for a refusal with {@code code} whose line names each of {@code expect}. */
    static List<String> broken(final Outcome outcome, final int code, final List<String> expect)
    {
        final List<String> lines = outcome.errLines();
        final String line = lines.isEmpty() ? "" : lines.get(0);
        final List<String> broken = new ArrayList<>();
        if (outcome.hung())
        {
            broken.add("hung: did not end within its time bound");
        }
        if (outcome.code() != code)
        {
            broken.add("exit code " + outcome.code() + ", expected " + code);
        }
        if (lines.size() + outcome.logRecords().size() != 1)
        {
            broken.add((lines.size() + outcome.logRecords().size()) + " lines on stderr, expected 1: " + lines +
                " + log records " + outcome.logRecords());
        }
        if (STACK_FRAME.matcher(outcome.err() + outcome.out()).find() || outcome.logThrown())
        {
            broken.add("a stack trace");
        }
        if (!line.startsWith("slipstream: "))
        {
            broken.add("the error line does not start with 'slipstream: '");
        }
        for (final String part : expect)
        {
            if (!line.contains(part))
            {
                broken.add("the error line does not name '" + part + "'");
            }
        }
        if (!outcome.shmLeft().isEmpty())
        {
            broken.add("left in /dev/shm: " + outcome.shmLeft());
        }
        if (!outcome.processesLeft().isEmpty())
        {
            broken.add("processes left: " + outcome.processesLeft());
        }
        return broken;
    }

    static Set<String> shmEntries() throws IOException
    {
        final Set<String> names = new HashSet<>();
        if (Files.isDirectory(SHM))
        {
            try (Stream<Path> list = Files.list(SHM))
            {
                list.forEach((p) -> names.add(p.getFileName().toString()));
            }
        }
        return names;
    }

    /** Entries of {@code /dev/shm} made since {@code before} that are still there after a short settle. */
    private static Set<String> shmLeftSince(final Set<String> before) throws IOException, InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
        Set<String> left;
        do
        {
            left = shmEntries();
            left.removeAll(before);
            left.removeAll(mappedByOthers(left));
            if (left.isEmpty())
            {
                return left;
            }
            Thread.sleep(50);
        }
        while (System.nanoTime() - deadline < 0);
        return left;
    }

    /**
     * Of {@code entries}, those another live process maps: a job of someone else on this machine (another test
     * running at the same time), not something this case left behind.
     */
    private static Set<String> mappedByOthers(final Set<String> entries)
    {
        final Set<String> mapped = new HashSet<>();
        if (entries.isEmpty())
        {
            return mapped;
        }
        final long self = ProcessHandle.current().pid();
        try (Stream<Path> procs = Files.list(Path.of("/proc")))
        {
            for (final Path proc : (Iterable<Path>)procs::iterator)
            {
                final String name = proc.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit) || Long.parseLong(name) == self)
                {
                    continue;
                }
                try
                {
                    final String maps = Files.readString(proc.resolve("maps"));
                    for (final String entry : entries)
                    {
                        if (maps.contains(SHM.resolve(entry) + "/"))
                        {
                            mapped.add(entry);
                        }
                    }
                }
                catch (final IOException | RuntimeException gone)
                {
                    // The process ended or is not ours to read: it maps nothing we can see.
                }
            }
        }
        catch (final IOException ex)
        {
            return mapped;
        }
        return mapped;
    }

    private static List<String> processesWith(final String marker) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
        List<String> left;
        do
        {
            left = ProcessHandle.allProcesses().filter((p) -> p.pid() != ProcessHandle.current().pid())
                .filter((p) -> p.info().commandLine().orElse("").contains(marker))
                .map((p) -> p.pid() + " " + p.info().commandLine().orElse("")).toList();
            if (left.isEmpty())
            {
                return left;
            }
            Thread.sleep(50);
        }
        while (System.nanoTime() - deadline < 0);
        return left;
    }
}
