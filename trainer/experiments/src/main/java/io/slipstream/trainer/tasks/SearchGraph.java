package io.slipstream.trainer.tasks;

/**
 * A cross-validated search's task graph with the id of each task by its role, as the builder handed them out: a
 * FIT_SCORE per (setting, fold), an AGGREGATE per setting on its folds (none with zero folds: one setting, fitted
 * once on the whole training set), one REFIT on all aggregates, then EVALUATE
 * and SAVE, the last three pinned to group 0 (which holds the refitted model and includes world rank 0). Callers
 * look ids up here instead of computing them from the numbering.
 */
public final class SearchGraph
{
    private final TaskGraph graph;
    private final int[][] fit;
    private final int[] aggregate;
    private final int refit;
    private final int evaluate;
    private final int save;

    private SearchGraph(final TaskGraph graph, final int[][] fit, final int[] aggregate, final int refit,
        final int evaluate, final int save)
    {
        this.graph = graph;
        this.fit = fit;
        this.aggregate = aggregate;
        this.refit = refit;
        this.evaluate = evaluate;
        this.save = save;
    }

    /**
     * {@code fitCost[s]} estimates one fold's fit of setting s; {@code fitPriority[s]} (higher first) lets a user run
     * some settings early; pass zeros for none.
     */
    public static SearchGraph build(final int settings, final int folds, final double[] fitCost,
        final int[] fitPriority, final double refitCost)
    {
        if (settings < 1 || folds < 0)
        {
            throw new IllegalArgumentException("a search needs at least one setting and no negative fold count, got " +
                settings + " settings and " + folds + " folds");
        }
        if (folds == 0 && settings > 1)
        {
            throw new IllegalArgumentException("without cross-validation folds nothing chooses between " + settings +
                " settings; cross-validate them or give one setting");
        }
        final TaskGraph.Builder b = TaskGraph.builder();
        final int[][] fit = new int[settings][folds];
        for (int s = 0; s < settings; s++)
        {
            for (int f = 0; f < folds; f++)
            {
                fit[s][f] = b.add(TaskKind.FIT_SCORE, s, f, new int[0], fitCost[s], fitPriority[s], -1);
            }
        }
        final int[] aggregate = new int[settings];
        for (int s = 0; s < settings; s++)
        {
            aggregate[s] = b.add(TaskKind.AGGREGATE, s, -1, fit[s].clone(), 0.0, 0, -1);
        }
        final int refit = b.add(TaskKind.REFIT, -1, -1, aggregate.clone(), refitCost, 0, 0);
        final int evaluate = b.add(TaskKind.EVALUATE, -1, -1, new int[]{refit}, 0.0, 0, 0);
        final int save = b.add(TaskKind.SAVE, -1, -1, new int[]{refit, evaluate}, 0.0, 0, 0);
        return new SearchGraph(b.build(), fit, aggregate, refit, evaluate, save);
    }

    public TaskGraph graph()
    {
        return graph;
    }

    public int fit(final int setting, final int fold)
    {
        return fit[setting][fold];
    }

    public int aggregate(final int setting)
    {
        return aggregate[setting];
    }

    public int refit()
    {
        return refit;
    }

    public int evaluate()
    {
        return evaluate;
    }

    public int save()
    {
        return save;
    }
}
