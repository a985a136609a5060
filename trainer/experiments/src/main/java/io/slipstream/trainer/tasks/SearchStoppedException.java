package io.slipstream.trainer.tasks;

/**
 * A stop was requested (the run's hooks) and every rank stopped at the same wave boundary; {@code kept} of
 * the {@code total} tasks have their results in the journal (0 without one) and will not run again.
 */
public final class SearchStoppedException extends RuntimeException
{
    private final int kept;
    private final int total;

    public SearchStoppedException(final int kept, final int total)
    {
        super("stopped on request with " + kept + " of " + total + " tasks kept for a resume");
        this.kept = kept;
        this.total = total;
    }

    public int kept()
    {
        return kept;
    }

    public int total()
    {
        return total;
    }
}
