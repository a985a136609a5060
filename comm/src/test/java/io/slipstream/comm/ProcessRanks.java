package io.slipstream.comm;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Runs a job of N ranks as separate JVMs on this machine: each runs {@code mainClass} with this JVM's class path,
 * the flags in system property {@code slipstream.test.jvmFlags} (Aeron's --add-exports and the Vector API by
 * default), and its identity in the {@code SLIPSTREAM_*} variables below, which the rank reads back with
 * {@link #rankConfig}; the secret travels only in the environment. Output goes to one log file per rank. Closing
 * kills what still runs and deletes the logs. For tests and benchmarks.
 */
public final class ProcessRanks implements AutoCloseable
{
    public static final String DEFAULT_JVM_FLAGS = JvmFlags.ALL;
    /** The variables a rank process gets from {@link #start} and reads with {@link #rankConfig}. */
    public static final String RANK = "SLIPSTREAM_RANK";
    public static final String SIZE = "SLIPSTREAM_SIZE";
    public static final String COORDINATOR = "SLIPSTREAM_COORDINATOR";
    public static final String JOB_ID = "SLIPSTREAM_JOB_ID";
    public static final String SECRET = CommConfig.ENV_SECRET;
    public static final String HOST_ID = "SLIPSTREAM_HOST_ID";
    public static final String ADDRESS = "SLIPSTREAM_ADDR";

    private final Process[] processes;
    private final Path[] logs;
    private final Path logDir;
    private final String jobId;

    private ProcessRanks(final Process[] processes, final Path[] logs, final Path logDir, final String jobId)
    {
        this.processes = processes;
        this.logs = logs;
        this.logDir = logDir;
        this.jobId = jobId;
    }

    /** The job id every rank was given. */
    public String jobId()
    {
        return jobId;
    }

    /**
     * Starts {@code n} ranks of {@code mainClass} with {@code args}; {@code extraEnv.apply(rank)} adds variables
     * (for example a host id and advertise address per rank).
     */
    public static ProcessRanks start(
        final int n, final Class<?> mainClass, final List<String> args, final IntFunction<Map<String, String>> extraEnv)
    {
        final Path logDir;
        try
        {
            logDir = Files.createTempDirectory("slipstream-ranks-");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        final String jobId = "procs-" + UUID.randomUUID();
        final int port = ThreadRanks.freePort();
        final String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        final String flags = System.getProperty("slipstream.test.jvmFlags", DEFAULT_JVM_FLAGS);
        final Process[] processes = new Process[n];
        final Path[] logs = new Path[n];
        final ProcessRanks ranks = new ProcessRanks(processes, logs, logDir, jobId);
        try
        {
            for (int r = 0; r < n; r++)
            {
                final List<String> command = new ArrayList<>();
                command.add(java);
                command.addAll(Arrays.asList(flags.trim().split("\\s+")));
                command.add("-Xmx256m");
                command.add("-cp");
                command.add(System.getProperty("java.class.path"));
                command.add(mainClass.getName());
                command.addAll(args);
                logs[r] = logDir.resolve("rank-" + r + ".log");
                final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(logs[r].toFile());
                final Map<String, String> env = builder.environment();
                env.put(RANK, Integer.toString(r));
                env.put(SIZE, Integer.toString(n));
                env.put(COORDINATOR, "127.0.0.1:" + port);
                env.put(JOB_ID, jobId);
                env.put(SECRET, HexFormat.of().formatHex(secret));
                env.put(HOST_ID, "local");
                env.put(ADDRESS, "127.0.0.1");
                env.putAll(extraEnv.apply(r));
                processes[r] = builder.start();
            }
        }
        catch (final IOException ex)
        {
            ranks.close();
            throw new UncheckedIOException("could not start rank processes: " + ex.getMessage(), ex);
        }
        return ranks;
    }

    /**
     * The config of a rank process {@link #start} started, from the variables it was given (rank, size, coordinator
     * as host:port, job id, secret, host id, address) and comm's switches ({@link CommConfig.Builder#switchesFrom});
     * absent ones keep the builder's defaults.
     */
    public static CommConfig.Builder rankConfig(final Map<String, String> env)
    {
        final CommConfig.Builder builder = CommConfig.builder().switchesFrom(env);
        if (env.containsKey(RANK))
        {
            builder.rank(number(RANK, env.get(RANK)));
        }
        if (env.containsKey(SIZE))
        {
            builder.size(number(SIZE, env.get(SIZE)));
        }
        final String coordinator = env.get(COORDINATOR);
        if (coordinator != null)
        {
            final int colon = coordinator.lastIndexOf(':');
            if (colon <= 0 || colon == coordinator.length() - 1)
            {
                throw new IllegalArgumentException(
                    COORDINATOR + ": '" + coordinator + "' is not host:port; set it like 10.0.0.1:29500");
            }
            builder.coordinator(coordinator.substring(0, colon), number(COORDINATOR, coordinator.substring(colon + 1)));
        }
        if (env.containsKey(JOB_ID))
        {
            builder.jobId(env.get(JOB_ID));
        }
        if (env.containsKey(SECRET))
        {
            builder.secret(env.get(SECRET).getBytes(StandardCharsets.UTF_8));
        }
        if (env.containsKey(HOST_ID))
        {
            builder.hostId(env.get(HOST_ID));
        }
        if (env.containsKey(ADDRESS))
        {
            builder.advertiseAddress(env.get(ADDRESS));
        }
        return builder;
    }

    private static int number(final String name, final String value)
    {
        try
        {
            return Integer.parseInt(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + ": '" + value + "' is not an integer", ex);
        }
    }

    public int size()
    {
        return processes.length;
    }

    public Process process(final int rank)
    {
        return processes[rank];
    }

    /** Kills rank {@code rank} with SIGKILL, as a crash would. */
    public void kill(final int rank)
    {
        processes[rank].destroyForcibly();
    }

    /** Waits until {@code rank} exits or {@code timeoutMs} passes; returns its exit code, or -1 if still running. */
    public int await(final int rank, final long timeoutMs) throws InterruptedException
    {
        return processes[rank].waitFor(timeoutMs, TimeUnit.MILLISECONDS) ? processes[rank].exitValue() : -1;
    }

    /** Everything rank {@code rank} printed so far. */
    public String output(final int rank)
    {
        try
        {
            return Files.readString(logs[rank], StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return "<no output: " + ex.getMessage() + ">";
        }
    }

    /** Kills every rank still running (then waits briefly for them) and deletes the logs. */
    @Override
    public void close()
    {
        for (final Process process : processes)
        {
            if (process != null && process.isAlive())
            {
                process.destroyForcibly();
            }
        }
        for (final Process process : processes)
        {
            if (process != null)
            {
                try
                {
                    process.waitFor(10, TimeUnit.SECONDS);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
        }
        for (final Path log : logs)
        {
            if (log != null)
            {
                log.toFile().delete();
            }
        }
        logDir.toFile().delete();
    }
}
