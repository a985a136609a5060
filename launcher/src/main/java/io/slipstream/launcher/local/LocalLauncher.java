package io.slipstream.launcher.local;

import io.slipstream.launcher.signal.ExitCode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs N ranks as child processes of this one and watches them: each rank's output is prefixed
 * {@code [rank k]} (rank 0's shown, all with {@code verbose}; a failed hidden rank's last lines are
 * shown when it fails); the first rank that exits non-zero or dies stops the others and its status
 * becomes the launcher's (a rank that only saw another fail, status 4, yields to that rank if it exits
 * within a few seconds, and to a rank that is stopped by a signal or has not exited at all by then: that is the
 * rank the others stopped for); {@link #requestStop} (Ctrl-C, SIGTERM) stops every rank. Stopping is SIGTERM,
 * then SIGKILL after the grace period, to the rank and its descendants.
 *
 * <p>Status 3 (checkpointed and stopped) is not a failure. {@link #requestCheckpoint} (SIGUSR1 to the launcher)
 * passes SIGUSR1 on to every rank, so the whole job checkpoints at its next step boundary and stops; a rank that
 * stops that way on its own has the others asked to do the same. When every rank ends with 0 or 3 and at least
 * one with 3, the launcher's status is 3.
 */
public final class LocalLauncher
{
    /**
     * What the JVM prints at start-up for the {@code --add-modules jdk.incubator.vector} every rank gets (comm's
     * reduction uses it): a notice about our own flag, not about the job, so it is not relayed.
     */
    static final String VECTOR_API_NOTICE = "WARNING: Using incubator modules: jdk.incubator.vector";

    private static final int TAIL_LINES = 20;
    private static final long POLL_MILLIS = 20;
    /** A rank that saw a peer fail (status 4) often exits before the peer itself: wait this long for the cause. */
    private static final long BLAME_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final int ranks;
    private final List<String> command;
    private final Map<String, String> env;
    private final boolean verbose;
    private final PrintStream out;
    private final long graceNanos;
    private final String[] cpuLists;
    private final Process[] processes;
    private final ArrayDeque<String>[] tails;
    private final Thread[] pumps;
    private final ConcurrentLinkedQueue<Integer> exitOrder = new ConcurrentLinkedQueue<>();
    private volatile int stopSignal;
    private boolean blamedStuck;
    private String blamedStuckState;
    private volatile boolean checkpointRequested;
    private boolean checkpointForwarded;

    /**
     * @param ranks      how many ranks.
     * @param command    the rank's command line (the same for every rank).
     * @param env        the ranks' environment; {@code SLIPSTREAM_RANK} and {@code SLIPSTREAM_LOCAL_RANK} are added.
     * @param verbose    show every rank's output, not only rank 0's.
     * @param out        where output and the launcher's own lines go.
     * @param graceNanos how long a stopped rank may take to exit before it is killed.
     * @param cpuLists   the CPUs each rank is bound to ({@link CpuBinding}), or null to leave them unbound.
     */
    @SuppressWarnings("unchecked")
    public LocalLauncher(
        final int ranks,
        final List<String> command,
        final Map<String, String> env,
        final boolean verbose,
        final PrintStream out,
        final long graceNanos,
        final String[] cpuLists)
    {
        if (ranks < 1)
        {
            throw new IllegalArgumentException("-n must be at least 1, got " + ranks);
        }
        this.ranks = ranks;
        this.command = List.copyOf(command);
        this.env = Map.copyOf(env);
        this.verbose = verbose;
        this.out = out;
        this.graceNanos = graceNanos;
        if (cpuLists != null && cpuLists.length != ranks)
        {
            throw new IllegalArgumentException(cpuLists.length + " CPU lists for " + ranks + " ranks");
        }
        this.cpuLists = cpuLists == null ? null : cpuLists.clone();
        this.processes = new Process[ranks];
        this.tails = new ArrayDeque[ranks];
        this.pumps = new Thread[ranks];
    }

    /** Asks every rank to stop (from a signal handler); {@link #run} then returns 128 + {@code signal}. */
    public void requestStop(final int signal)
    {
        stopSignal = signal;
    }

    /** Asks every rank to checkpoint and stop (SIGUSR1 to each, from a signal handler); see the class comment. */
    public void requestCheckpoint()
    {
        checkpointRequested = true;
    }

    /**
     * Starts the ranks and returns once all have exited: 0, the first failed rank's status, 3 when the ranks
     * checkpointed and stopped, or 128 + signal.
     */
    public int run() throws IOException
    {
        try
        {
            for (int k = 0; k < ranks; k++)
            {
                start(k);
            }
        }
        catch (final IOException ex)
        {
            stopAll();
            throw new IOException("cannot start a rank (" + String.join(" ", command) + "): " + ex.getMessage(), ex);
        }
        int failedRank = -1;
        int failedStatus = 0;
        long blameDeadline = 0;
        boolean stopping = false;
        int exited = 0;
        final List<Integer> checkpointed = new ArrayList<>();
        while (exited < ranks)
        {
            Integer next;
            while ((next = exitOrder.poll()) != null)
            {
                exited++;
                final int status = processes[next].exitValue();
                if (status == ExitCode.CHECKPOINTED_AND_STOPPED)
                {
                    checkpointed.add(next);
                    if (!checkpointRequested)
                    {
                        say("rank " + next + " checkpointed and stopped; asking the other ranks to do the same");
                        checkpointRequested = true;
                    }
                }
                else if (!stopping && status != 0 &&
                    (failedRank < 0 || failedStatus == ExitCode.PEER_FAILED && status != ExitCode.PEER_FAILED))
                {
                    failedRank = next;
                    failedStatus = status;
                    blameDeadline = System.nanoTime() + BLAME_WINDOW_NANOS;
                }
            }
            if (checkpointRequested && !checkpointForwarded && !stopping)
            {
                checkpointForwarded = true;
                forwardCheckpointRequest();
            }
            String stuck = null;
            if (!stopping && failedRank >= 0 && failedStatus == ExitCode.PEER_FAILED)
            {
                // The rank the others stopped for may not exit at all: stopped (SIGSTOP, a debugger) or hung.
                final int suspect = stuckRank(System.nanoTime() - blameDeadline >= 0);
                if (suspect >= 0)
                {
                    stuck = describeStuck(suspect) + "; the other ranks stopped because of it (rank " + failedRank +
                        " exited with " + ExitCode.describe(failedStatus) + ")";
                    failedRank = suspect;
                    failedStatus = ExitCode.FAILED;
                }
            }
            final boolean blameSettled = failedRank >= 0 &&
                (failedStatus != ExitCode.PEER_FAILED || System.nanoTime() - blameDeadline >= 0);
            if (!stopping && (blameSettled || stopSignal != 0))
            {
                stopping = true;
                if (stuck != null)
                {
                    say("rank " + failedRank + " " + stuck + "; stopping it");
                    showTail(failedRank);
                }
                else if (failedRank >= 0)
                {
                    say("rank " + failedRank + " exited with " + ExitCode.describe(failedStatus) +
                        "; stopping the other ranks");
                    showTail(failedRank);
                }
                else
                {
                    say("stopping all ranks (signal " + stopSignal + ")");
                }
                stopAll();
            }
            sleep(POLL_MILLIS);
        }
        joinPumps();
        if (failedRank >= 0)
        {
            say("rank " + failedRank + " failed" + (blamedStuck ? " (it was " + blamedStuckState + ")" :
                " with " + ExitCode.describe(failedStatus)));
            return failedStatus;
        }
        if (stopSignal != 0)
        {
            return ExitCode.bySignal(stopSignal);
        }
        if (!checkpointed.isEmpty())
        {
            checkpointed.sort(null);
            say((checkpointed.size() == ranks ? "all ranks" : "ranks " + checkpointed) +
                " checkpointed and stopped (status 3); run the same job again to resume");
            return ExitCode.CHECKPOINTED_AND_STOPPED;
        }
        return ExitCode.OK;
    }

    /**
     * A rank still running while another exited because a peer failed: one that is stopped by a signal at once,
     * any one still alive once {@code windowOver}; -1 if there is none.
     */
    private int stuckRank(final boolean windowOver)
    {
        int alive = -1;
        for (int k = 0; k < ranks; k++)
        {
            final Process process = processes[k];
            if (process != null && process.isAlive())
            {
                if (isStopped(process.pid()))
                {
                    return k;
                }
                alive = alive < 0 ? k : alive;
            }
        }
        return windowOver ? alive : -1;
    }

    private String describeStuck(final int rank)
    {
        blamedStuck = true;
        blamedStuckState = isStopped(processes[rank].pid()) ? "stopped by a signal (SIGSTOP or a debugger)" :
            "still running but unresponsive";
        return "is " + blamedStuckState;
    }

    /** Whether {@code pid} is stopped (state T or t in /proc); false where /proc cannot say. */
    static boolean isStopped(final long pid)
    {
        try
        {
            final String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid),
                "stat"));
            // pid (comm) state ...: comm may hold spaces and parentheses, so read after the last ')'.
            final int close = stat.lastIndexOf(')');
            final char state = close >= 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
            return state == 'T' || state == 't';
        }
        catch (final IOException | RuntimeException ex)
        {
            return false;
        }
    }

    /** SIGUSR1 to every rank still running: the signal a rank's stop flag turns into a checkpoint and stop. */
    private void forwardCheckpointRequest()
    {
        final List<String> kill = new ArrayList<>(List.of("kill", "-USR1"));
        for (final Process process : processes)
        {
            if (process != null && process.isAlive())
            {
                kill.add(Long.toString(process.pid()));
            }
        }
        if (kill.size() == 2)
        {
            return;
        }
        say("asking every rank to checkpoint and stop (SIGUSR1)");
        try
        {
            final Process sender = new ProcessBuilder(kill).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!sender.waitFor(5, TimeUnit.SECONDS))
            {
                sender.destroyForcibly();
                say("could not pass SIGUSR1 on to the ranks: kill did not return within 5 s");
            }
        }
        catch (final IOException ex)
        {
            say("could not pass SIGUSR1 on to the ranks (" + ex.getMessage() + "); stop them with Ctrl-C instead");
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void start(final int rank) throws IOException
    {
        final ProcessBuilder builder = new ProcessBuilder(cpuLists == null ? command :
            CpuBinding.bind(cpuLists[rank], command)).redirectErrorStream(true);
        final Map<String, String> rankEnv = builder.environment();
        rankEnv.putAll(env);
        rankEnv.put("SLIPSTREAM_RANK", Integer.toString(rank));
        rankEnv.put("SLIPSTREAM_LOCAL_RANK", Integer.toString(rank));
        tails[rank] = new ArrayDeque<>(TAIL_LINES);
        processes[rank] = builder.start();
        processes[rank].onExit().thenRun(() -> exitOrder.add(rank));
        final boolean shown = verbose || rank == 0;
        final Thread pump = new Thread(() -> pump(rank, shown), "slipstream-rank-" + rank + "-output");
        pump.setDaemon(true);
        pump.start();
        pumps[rank] = pump;
    }

    private void pump(final int rank, final boolean shown)
    {
        final String prefix = "[rank " + rank + "] ";
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(processes[rank].getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                if (line.equals(VECTOR_API_NOTICE))
                {
                    continue;
                }
                if (shown)
                {
                    say(prefix + line);
                }
                else
                {
                    final ArrayDeque<String> tail = tails[rank];
                    synchronized (tail)
                    {
                        if (tail.size() == TAIL_LINES)
                        {
                            tail.removeFirst();
                        }
                        tail.addLast(line);
                    }
                }
            }
        }
        catch (final IOException ignored)
        {
            // The rank is gone and so is its pipe.
        }
    }

    private void showTail(final int rank)
    {
        if (verbose || rank == 0)
        {
            return;
        }
        final ArrayDeque<String> tail = tails[rank];
        final List<String> lines;
        synchronized (tail)
        {
            lines = new ArrayList<>(tail);
        }
        for (final String line : lines)
        {
            say("[rank " + rank + "] " + line);
        }
    }

    private void stopAll()
    {
        final Map<Integer, List<ProcessHandle>> trees = new HashMap<>();
        for (int k = 0; k < ranks; k++)
        {
            final Process process = processes[k];
            if (process != null && process.isAlive())
            {
                final List<ProcessHandle> tree = new ArrayList<>();
                process.descendants().forEach(tree::add);
                tree.add(process.toHandle());
                trees.put(k, tree);
                tree.forEach(ProcessHandle::destroy);
                resumeIfStopped(tree);
            }
        }
        final long deadline = System.nanoTime() + graceNanos;
        while (System.nanoTime() - deadline < 0 && anyAlive(trees))
        {
            sleep(POLL_MILLIS);
        }
        for (final Map.Entry<Integer, List<ProcessHandle>> entry : trees.entrySet())
        {
            for (final ProcessHandle handle : entry.getValue())
            {
                if (handle.isAlive())
                {
                    if (handle.pid() == processes[entry.getKey()].pid())
                    {
                        say("rank " + entry.getKey() + " did not stop within the grace period; killing it");
                    }
                    handle.destroyForcibly();
                }
            }
        }
    }

    /**
     * A stopped process cannot act on the SIGTERM it was just sent: SIGCONT lets it, so it shuts down as any other
     * rank does (a driver's owner removes its directory) instead of waiting out the grace period for SIGKILL.
     */
    private void resumeIfStopped(final List<ProcessHandle> tree)
    {
        for (final ProcessHandle handle : tree)
        {
            if (isStopped(handle.pid()))
            {
                try
                {
                    final Process cont = new ProcessBuilder("kill", "-CONT", Long.toString(handle.pid()))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    cont.waitFor(5, TimeUnit.SECONDS);
                }
                catch (final IOException ex)
                {
                    say("could not resume stopped pid " + handle.pid() + " (" + ex.getMessage() + "); it is killed " +
                        "after the grace period");
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static boolean anyAlive(final Map<Integer, List<ProcessHandle>> trees)
    {
        for (final List<ProcessHandle> tree : trees.values())
        {
            for (final ProcessHandle handle : tree)
            {
                if (handle.isAlive())
                {
                    return true;
                }
            }
        }
        return false;
    }

    private void joinPumps()
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (final Thread pump : pumps)
        {
            final long left = deadline - System.nanoTime();
            if (pump != null && left > 0)
            {
                try
                {
                    pump.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void say(final String line)
    {
        synchronized (out)
        {
            out.println(line);
        }
    }

    private static void sleep(final long millis)
    {
        try
        {
            TimeUnit.MILLISECONDS.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
