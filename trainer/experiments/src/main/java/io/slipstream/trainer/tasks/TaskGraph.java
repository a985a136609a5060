package io.slipstream.trainer.tasks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Tasks in an order where every task comes after its dependencies (ids are positions). A search
 * experiment's graph is built by {@link #forSearch}: a FIT_SCORE per (setting, fold), an AGGREGATE per
 * setting on its folds, one REFIT on all aggregates, then EVALUATE and SAVE, the last three pinned to
 * group 0 (which holds the refitted model and includes world rank 0).
 */
public final class TaskGraph
{
    private final List<Task> tasks;

    private TaskGraph(final List<Task> tasks)
    {
        this.tasks = Collections.unmodifiableList(tasks);
    }

    /** Starts a graph; add tasks in dependency order. */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * The search graph. {@code fitCost[s]} estimates one fold's fit of setting s; {@code fitPriority[s]}
     * (higher first) lets a user run some settings early; pass zeros for none.
     */
    public static TaskGraph forSearch(final int settings, final int folds, final double[] fitCost,
        final int[] fitPriority, final double refitCost)
    {
        if (settings < 1 || folds < 1)
        {
            throw new IllegalArgumentException("a search needs at least one setting and one fold, got " + settings +
                " settings and " + folds + " folds");
        }
        final Builder b = builder();
        for (int s = 0; s < settings; s++)
        {
            for (int f = 0; f < folds; f++)
            {
                b.add(TaskKind.FIT_SCORE, s, f, new int[0], fitCost[s], fitPriority[s], -1);
            }
        }
        final int[] aggregates = new int[settings];
        for (int s = 0; s < settings; s++)
        {
            final int[] deps = new int[folds];
            for (int f = 0; f < folds; f++)
            {
                deps[f] = s * folds + f;
            }
            aggregates[s] = b.add(TaskKind.AGGREGATE, s, -1, deps, 0.0, 0, -1);
        }
        final int refit = b.add(TaskKind.REFIT, -1, -1, aggregates, refitCost, 0, 0);
        final int evaluate = b.add(TaskKind.EVALUATE, -1, -1, new int[]{refit}, 0.0, 0, 0);
        b.add(TaskKind.SAVE, -1, -1, new int[]{refit, evaluate}, 0.0, 0, 0);
        return b.build();
    }

    public int size()
    {
        return tasks.size();
    }

    public Task task(final int id)
    {
        return tasks.get(id);
    }

    public List<Task> tasks()
    {
        return tasks;
    }

    /** Ids of tasks not yet done whose dependencies are all done, ascending. */
    public int[] ready(final boolean[] done)
    {
        final int[] out = new int[tasks.size()];
        int n = 0;
        for (final Task t : tasks)
        {
            if (done[t.id()])
            {
                continue;
            }
            boolean ok = true;
            for (int i = 0; i < t.dependencyCount() && ok; i++)
            {
                ok = done[t.dependency(i)];
            }
            if (ok)
            {
                out[n++] = t.id();
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Adds tasks one by one; each may depend only on tasks added before it. */
    public static final class Builder
    {
        private final List<Task> tasks = new ArrayList<>();

        public int add(final TaskKind kind, final int setting, final int fold, final int[] dependencies,
            final double cost, final int priority, final int pinnedGroup)
        {
            final int id = tasks.size();
            tasks.add(new Task(id, kind, setting, fold, dependencies, cost, priority, pinnedGroup));
            return id;
        }

        public TaskGraph build()
        {
            return new TaskGraph(new ArrayList<>(tasks));
        }
    }
}
