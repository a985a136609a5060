package io.slipstream.trainer.tasks;

import io.slipstream.comm.Communicator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a {@link TaskGraph} over the world in waves. Each wave, rank 0 takes the ready tasks (dependencies
 * done), orders them by priority then by the policy (largest cost first, or id), and deals them to groups
 * longest-processing-time first: each task goes to the group with the least assigned work so far (cost
 * divided by the group's ranks), or to its pinned group. The plan is broadcast; every group runs its tasks
 * in plan order; the results and errors are allgathered, so every rank holds every result. A failed task is
 * retried in a later wave up to the policy's retries, then every rank throws the same
 * {@link TaskFailedException}. Results never depend on the plan: tasks carry their own seeds.
 */
public final class WaveScheduler
{
    private final Communicator world;
    private final RankGroups groups;
    private final SchedulingPolicy policy;

    public WaveScheduler(final Communicator world, final RankGroups groups, final SchedulingPolicy policy)
    {
        this.world = world;
        this.groups = groups;
        this.policy = policy;
    }

    /** Runs every task; returns the results and the trace of where and when each task ran. */
    public Outcome run(final TaskGraph graph, final TaskRunner runner)
    {
        final int n = graph.size();
        final TaskResults results = new TaskResults(n);
        final boolean[] done = new boolean[n];
        final int[] attempts = new int[n];
        final List<Placement> trace = new ArrayList<>();
        int finished = 0;
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
            final byte[][] all = world.allgatherBytes(mine);
            for (int i = 0; i < plan.length; i += 2)
            {
                trace.add(new Placement(wave, plan[i], plan[i + 1]));
            }
            finished += collect(graph, all, results, done, attempts);
            wave++;
        }
        return new Outcome(results, List.copyOf(trace), wave);
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
        final double[] load = new double[groups.groupCount()];
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            out.writeInt(order.length);
            for (final Integer id : order)
            {
                final Task t = graph.task(id);
                int g = t.pinnedGroup();
                if (g < 0 || g >= load.length)
                {
                    g = 0;
                    for (int k = 1; k < load.length; k++)
                    {
                        if (load[k] < load[g])
                        {
                            g = k;
                        }
                    }
                }
                load[g] += t.cost() / groups.sizeOf(g);
                out.writeInt(id);
                out.writeInt(g);
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

    /** Runs this rank's group's tasks; reports successes (group leader only) and every failure. */
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
                    out.writeUTF(truncate(ex.getClass().getSimpleName() + ": " + ex.getMessage()));
                }
            }
            out.writeInt(-1);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    /** Applies every rank's reports; returns how many tasks finished this wave. */
    private int collect(final TaskGraph graph, final byte[][] all, final TaskResults results, final boolean[] done,
        final int[] attempts)
    {
        int finished = 0;
        TaskFailedException failure = null;
        final boolean[] failed = new boolean[graph.size()];
        final String[] errors = new String[graph.size()];
        final int[] errorRank = new int[graph.size()];
        for (int r = 0; r < all.length; r++)
        {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all[r])))
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
                        if (!failed[id])
                        {
                            errors[id] = in.readUTF();
                            errorRank[id] = r;
                        }
                        else
                        {
                            in.readUTF();
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
                if (attempts[id] > policy.retries() && failure == null)
                {
                    failure = new TaskFailedException(id, errorRank[id], "task " + graph.task(id).describe() +
                        " failed on rank " + errorRank[id] + " after " + attempts[id] + " attempt(s): " + errors[id]);
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

    private static String truncate(final String text)
    {
        return text.length() > 2000 ? text.substring(0, 2000) + "..." : text;
    }

    /** Task {@code task} ran in wave {@code wave} on group {@code group}. */
    public record Placement(int wave, int task, int group)
    {
    }

    /** The results of every task, where each ran (in plan order), and the number of waves. */
    public record Outcome(TaskResults results, List<Placement> trace, int waves)
    {
    }
}
