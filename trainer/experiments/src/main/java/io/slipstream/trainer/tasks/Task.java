package io.slipstream.trainer.tasks;

/**
 * One node of a {@link TaskGraph}. {@code setting} and {@code fold} are -1 where they do not apply;
 * {@code dependencies} are ids of earlier tasks; {@code cost} is an estimate in arbitrary units used to
 * balance groups; higher {@code priority} runs first among ready tasks; {@code pinnedGroup} (-1 for any)
 * forces a group, e.g. steps that need the model the group holds or the run directory of world rank 0.
 */
public record Task(int id, TaskKind kind, int setting, int fold, int[] dependencies, double cost, int priority,
    int pinnedGroup)
{
    public Task
    {
        for (final int d : dependencies)
        {
            if (d < 0 || d >= id)
            {
                throw new IllegalArgumentException("task " + id + " depends on task " + d +
                    "; dependencies must be earlier tasks");
            }
        }
        if (!(cost >= 0.0))
        {
            throw new IllegalArgumentException("task " + id + " has cost " + cost + "; costs must be >= 0");
        }
        dependencies = dependencies.clone();
    }

    @Override
    public int[] dependencies()
    {
        return dependencies.clone();
    }

    int dependencyCount()
    {
        return dependencies.length;
    }

    int dependency(final int i)
    {
        return dependencies[i];
    }

    /** For error messages: {@code fit_score(setting 3, fold 2)}. */
    public String describe()
    {
        final StringBuilder text = new StringBuilder(kind.name().toLowerCase()).append('#').append(id);
        if (setting >= 0 || fold >= 0)
        {
            text.append('(');
            if (setting >= 0)
            {
                text.append("setting ").append(setting);
            }
            if (fold >= 0)
            {
                text.append(setting >= 0 ? ", " : "").append("fold ").append(fold);
            }
            text.append(')');
        }
        return text.toString();
    }
}
