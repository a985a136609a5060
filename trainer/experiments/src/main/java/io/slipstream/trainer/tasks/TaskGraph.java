package io.slipstream.trainer.tasks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Tasks in an order where every task comes after its dependencies (ids are positions). A search
 * experiment's graph is built by {@link SearchGraph}.
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

    /** The search graph of {@link SearchGraph#build}, without its ids by role. */
    public static TaskGraph forSearch(final int settings, final int folds, final double[] fitCost,
        final int[] fitPriority, final double refitCost)
    {
        return SearchGraph.build(settings, folds, fitCost, fitPriority, refitCost).graph();
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
