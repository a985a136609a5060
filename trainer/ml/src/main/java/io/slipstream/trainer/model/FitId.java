package io.slipstream.trainer.model;

/**
 * Which fit of a run a progress line or a metrics line belongs to: a cross-validation fit (setting
 * {@code setting} of {@code settings}, fold {@code fold} of {@code folds}, all 0-based), the refit of the best
 * setting on the whole training set ({@code refit}, fold -1), or {@link #SINGLE}, the one fit of a run without a
 * search (setting 0 of 1, fold -1).
 */
public record FitId(int setting, int settings, int fold, int folds, boolean refit)
{
    /** The one fit of a run that is not a search (a program's own training loop). */
    public static final FitId SINGLE = new FitId(0, 1, -1, 0, false);

    public FitId
    {
        if (settings < 1 || setting < 0 || setting >= settings)
        {
            throw new IllegalArgumentException("setting " + setting + " of " + settings + " does not exist");
        }
        if (fold != -1 && (fold < 0 || fold >= folds) || refit && fold != -1)
        {
            throw new IllegalArgumentException("fold " + fold + " of " + folds + (refit ? " in a refit" : "") +
                " does not exist");
        }
    }

    /** The cross-validation fit of setting {@code s} on fold {@code f}. */
    public static FitId cv(final int s, final int settings, final int f, final int folds)
    {
        return new FitId(s, settings, f, folds, false);
    }

    /** The refit of setting {@code s} (the best) on the whole training set. */
    public static FitId refitOf(final int s, final int settings)
    {
        return new FitId(s, settings, -1, 0, true);
    }

    /**
     * The prefix of a progress line, 1-based as people count: {@code [setting 12/108 fold 3/5]}, {@code [refit]},
     * or empty for {@link #SINGLE}.
     */
    public String label()
    {
        if (refit)
        {
            return "[refit]";
        }
        if (fold < 0)
        {
            return "";
        }
        return "[setting " + (setting + 1) + "/" + settings + " fold " + (fold + 1) + "/" + folds + "]";
    }
}
