package io.slipstream.trainer.tasks;

/**
 * A stop was requested (the run's hooks) and every rank stopped at the same wave boundary; the durable
 * results so far are in the journal, if there is one.
 */
public final class SearchStoppedException extends RuntimeException
{
    private final int finished;
    private final int total;

    public SearchStoppedException(final int finished, final int total)
    {
        super("stopped on request after " + finished + " of " + total + " tasks");
        this.finished = finished;
        this.total = total;
    }

    public int finished()
    {
        return finished;
    }

    public int total()
    {
        return total;
    }
}
