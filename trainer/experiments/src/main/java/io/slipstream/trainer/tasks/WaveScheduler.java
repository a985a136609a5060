package io.slipstream.trainer.tasks;

import io.slipstream.comm.Communicator;
import io.slipstream.trainer.model.RunHooks;
import io.slipstream.trainer.model.UserInputException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a {@link TaskGraph} over the world in waves. Each wave, rank 0 takes the ready tasks (dependencies
 * done), orders them by priority then by the policy (largest cost first, or id), and deals them to groups
 * longest-processing-time first: each task goes to the group with the least assigned work so far (cost
 * divided by the group's ranks), or to its pinned group, at most {@code tasksPerGroup} per group. The plan
 * is broadcast; every group runs its tasks in plan order; results, errors and stop requests are
 * allgathered, so every rank holds every result and all ranks take the same decisions:
 * <ul>
 * <li>a failed task is retried in a later wave up to the policy's retries, then every rank throws the same
 * {@link TaskFailedException}; a {@link UserInputException} is not retried (the input will not change) and
 * the exception says it was user input;</li>
 * <li>when any rank's hooks ask to stop, every rank throws {@link SearchStoppedException} after the wave,
 * the last one included;</li>
 * <li>with a {@link TaskJournal}, rank 0 records durable results after each wave that was not stopped, and
 * a rerun restores them instead of running those tasks again.</li>
 * </ul>
 * Results never depend on the plan: tasks carry their own seeds.
 */
public final class WaveScheduler
{
    /** Where a rank's wave report carries its stop request: the first byte, before its task entries. */
    private static final int STOP_FLAG = 0;

    private final Communicator world;
    private final RankGroups groups;
    private final SchedulingPolicy policy;
    private final RunHooks hooks;
    private final TaskJournal journal;

    public WaveScheduler(final Communicator world, final RankGroups groups, final SchedulingPolicy policy)
    {
        this(world, groups, policy, RunHooks.NONE, null);
    }

    /**
     * {@code journal} may be null (nothing kept) but must be null on every rank or on none: the ranks
     * restore together; only world rank 0 reads and writes it.
     */
    public WaveScheduler(final Communicator world, final RankGroups groups, final SchedulingPolicy policy,
        final RunHooks hooks, final TaskJournal journal)
    {
        this.world = world;
        this.groups = groups;
        this.policy = policy;
        this.hooks = hooks;
        this.journal = journal;
    }

    /** Runs every task; returns the results and the trace of where and when each task ran. */
    public Outcome run(final TaskGraph graph, final TaskRunner runner)
    {
        final int n = graph.size();
        final TaskResults results = new TaskResults(n);
        final boolean[] done = new boolean[n];
        final int[] attempts = new int[n];
        final List<Placement> trace = new ArrayList<>();
        int finished = restore(graph, results, done);
        final int restored = finished;
        int kept = restored;
        int wave = 0;
        while (finished < n)
        {
            final byte[] planBytes = world.rank() == 0 ? plan(graph, done) : new byte[0];
            final int[] plan = decodePlan(world.broadcastBytes(planBytes, 0));
            if (plan.length == 0)
            {
                throw new IllegalStateException("no task is ready but " + (n - finished) + " are not done");
            }
            final byte[] mine = runMine(graph, plan, runner, results);
            world.activity("wave " + wave + " done, waiting for the other groups");
            final byte[][] all = world.allgatherBytes(mine);
            for (int i = 0; i < plan.length; i += 2)
            {
                trace.add(new Placement(wave, plan[i], plan[i + 1]));
            }
            final boolean[] before = done.clone();
            finished += collect(graph, all, results, done, attempts);
            wave++;
            // A stop may have cut this wave's fits short (a fit that checkpoints and returns early), so a
            // stopped wave's results are never journaled and the job stops even when it was the last wave
            // (a refit cut short must not be reported as final): the resumed run redoes that wave.
            final boolean stop = stopRequested(all);
            if (journal != null && !stop)
            {
                final Map<Integer, byte[]> fresh = durableSince(graph, before, done, results);
                kept += fresh.size();
                if (world.rank() == 0)
                {
                    journal.record(fresh);
                }
            }
            if (stop)
            {
                throw new SearchStoppedException(kept, n);
            }
        }
        return new Outcome(results, List.copyOf(trace), wave, restored);
    }

    /** Rank 0 reads the journal and broadcasts it; every rank marks those durable tasks done. */
    private int restore(final TaskGraph graph, final TaskResults results, final boolean[] done)
    {
        if (journal == null)
        {
            return 0;
        }
        final byte[] mine = world.rank() == 0 ? encodeResults(journal.restore()) : new byte[0];
        final byte[] bytes = world.broadcastBytes(mine, 0);
        int restored = 0;
        for (final Map.Entry<Integer, byte[]> e : decodeResults(bytes).entrySet())
        {
            final int id = e.getKey();
            if (id >= 0 && id < graph.size() && graph.task(id).kind().durable() && !done[id])
            {
                results.put(id, e.getValue());
                done[id] = true;
                restored++;
            }
        }
        return restored;
    }

    private static Map<Integer, byte[]> durableSince(final TaskGraph graph, final boolean[] before,
        final boolean[] done, final TaskResults results)
    {
        final Map<Integer, byte[]> fresh = new TreeMap<>();
        for (int id = 0; id < done.length; id++)
        {
            if (done[id] && !before[id] && graph.task(id).kind().durable())
            {
                fresh.put(id, results.get(id));
            }
        }
        return fresh;
    }

    /** Rank 0: the next wave as (task, group) pairs in run order. */
    private byte[] plan(final TaskGraph graph, final boolean[] done)
    {
        final int[] ready = graph.ready(done);
        final Integer[] order = new Integer[ready.length];
        for (int i = 0; i < ready.length; i++)
        {
            order[i] = ready[i];
        }
        Arrays.sort(order, (a, b) ->
        {
            final Task ta = graph.task(a);
            final Task tb = graph.task(b);
            if (ta.priority() != tb.priority())
            {
                return Integer.compare(tb.priority(), ta.priority());
            }
            if (policy.largestCostFirst() && ta.cost() != tb.cost())
            {
                return Double.compare(tb.cost(), ta.cost());
            }
            return Integer.compare(a, b);
        });
        final int limit = policy.tasksPerGroup() == 0 ? Integer.MAX_VALUE : policy.tasksPerGroup();
        final double[] load = new double[groups.groupCount()];
        final int[] count = new int[groups.groupCount()];
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            final List<int[]> placed = new ArrayList<>();
            for (final Integer id : order)
            {
                final Task t = graph.task(id);
                int g = t.pinnedGroup();
                if (g < 0 || g >= load.length)
                {
                    g = -1;
                    for (int k = 0; k < load.length; k++)
                    {
                        if (count[k] < limit && (g < 0 || load[k] < load[g]))
                        {
                            g = k;
                        }
                    }
                }
                if (g < 0 || count[g] >= limit)
                {
                    continue;
                }
                load[g] += t.cost() / groups.sizeOf(g);
                count[g]++;
                placed.add(new int[]{id, g});
            }
            out.writeInt(placed.size());
            for (final int[] p : placed)
            {
                out.writeInt(p[0]);
                out.writeInt(p[1]);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    private static int[] decodePlan(final byte[] bytes)
    {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes)))
        {
            final int count = in.readInt();
            final int[] plan = new int[2 * count];
            for (int i = 0; i < plan.length; i++)
            {
                plan[i] = in.readInt();
            }
            return plan;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("the wave plan from rank 0 is corrupt", ex);
        }
    }

    /**
     * Runs this rank's group's tasks. The report's byte {@link #STOP_FLAG} is this rank's stop request (asked after
     * the tasks ran, so a stop during the wave counts); then come the successes (group leader only) and every
     * failure, ended by id -1.
     */
    private byte[] runMine(final TaskGraph graph, final int[] plan, final TaskRunner runner,
        final TaskResults results)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            final int myGroup = groups.myGroup();
            final boolean leader = groups.group() != null && groups.group().rank() == 0;
            for (int i = 0; i < plan.length; i += 2)
            {
                if (plan[i + 1] != myGroup || myGroup < 0)
                {
                    continue;
                }
                final Task task = graph.task(plan[i]);
                // Ranks waiting at the wave's allgather name what this rank is busy with, not a stall.
                world.activity(task.describe());
                try
                {
                    final byte[] result = runner.run(task, groups.group(), results);
                    if (leader)
                    {
                        out.writeInt(task.id());
                        out.writeBoolean(true);
                        out.writeInt(result.length);
                        out.write(result);
                    }
                }
                catch (final Exception ex)
                {
                    out.writeInt(task.id());
                    out.writeBoolean(false);
                    out.writeBoolean(ex instanceof UserInputException);
                    out.writeUTF(ex.getClass().getName());
                    out.writeUTF(truncate(ex.getMessage() != null ? ex.getMessage() :
                        "an unexpected error with no message (--debug names its class)"));
                }
            }
            out.writeInt(-1);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final byte[] entries = bytes.toByteArray();
        final byte[] report = new byte[1 + entries.length];
        report[STOP_FLAG] = (byte)(hooks.stopRequested() ? 1 : 0);
        System.arraycopy(entries, 0, report, 1, entries.length);
        return report;
    }

    /** Applies every rank's reports; returns how many tasks finished this wave. */
    private int collect(final TaskGraph graph, final byte[][] all, final TaskResults results, final boolean[] done,
        final int[] attempts)
    {
        int finished = 0;
        TaskFailedException failure = null;
        final boolean[] failed = new boolean[graph.size()];
        final String[] errors = new String[graph.size()];
        final String[] errorClasses = new String[graph.size()];
        final boolean[] userInput = new boolean[graph.size()];
        final int[] errorRank = new int[graph.size()];
        for (int r = 0; r < all.length; r++)
        {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all[r], 1, all[r].length - 1)))
            {
                int id;
                while ((id = in.readInt()) >= 0)
                {
                    if (in.readBoolean())
                    {
                        final byte[] result = new byte[in.readInt()];
                        in.readFully(result);
                        results.put(id, result);
                    }
                    else
                    {
                        final boolean user = in.readBoolean();
                        final String errorClass = in.readUTF();
                        final String error = in.readUTF();
                        if (!failed[id])
                        {
                            errors[id] = error;
                            errorClasses[id] = errorClass;
                            userInput[id] = user;
                            errorRank[id] = r;
                        }
                        failed[id] = true;
                    }
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("the task reports from rank " + r + " are corrupt", ex);
            }
        }
        for (int id = 0; id < graph.size(); id++)
        {
            if (failed[id])
            {
                attempts[id]++;
                results.put(id, null);
                if ((attempts[id] > policy.retries() || userInput[id]) && failure == null)
                {
                    failure = new TaskFailedException(id, errorRank[id], "task " + graph.task(id).describe() +
                        " failed on rank " + errorRank[id] + " after " + attempts[id] + " attempt(s): " + errors[id],
                        userInput[id], errorClasses[id]);
                }
            }
            else if (!done[id] && results.has(id))
            {
                done[id] = true;
                finished++;
            }
        }
        if (failure != null)
        {
            throw failure;
        }
        return finished;
    }

    /** True when any rank's report carries a stop request. */
    private static boolean stopRequested(final byte[][] all)
    {
        for (final byte[] report : all)
        {
            if (report[STOP_FLAG] != 0)
            {
                return true;
            }
        }
        return false;
    }

    /** Task results as bytes: a count, then per result its id, length and bytes (what the journal stores). */
    public static byte[] encodeResults(final Map<Integer, byte[]> results)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            out.writeInt(results.size());
            for (final Map.Entry<Integer, byte[]> e : results.entrySet())
            {
                out.writeInt(e.getKey());
                out.writeInt(e.getValue().length);
                out.write(e.getValue());
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    /** The inverse of {@link #encodeResults}. */
    public static Map<Integer, byte[]> decodeResults(final byte[] bytes)
    {
        final Map<Integer, byte[]> results = new TreeMap<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes)))
        {
            final int count = in.readInt();
            for (int i = 0; i < count; i++)
            {
                final int id = in.readInt();
                final byte[] result = new byte[in.readInt()];
                in.readFully(result);
                results.put(id, result);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("restored task results are corrupt", ex);
        }
        return results;
    }

    private static String truncate(final String text)
    {
        return text.length() > 2000 ? text.substring(0, 2000) + "..." : text;
    }

    /** Task {@code task} ran in wave {@code wave} on group {@code group}. */
    public record Placement(int wave, int task, int group)
    {
    }

    /**
     * The results of every task, where each ran (in plan order), the number of waves, and how many tasks
     * were restored from the journal instead of run.
     */
    public record Outcome(TaskResults results, List<Placement> trace, int waves, int restored)
    {
    }
}
