package io.slipstream.api;

/**
 * Where this rank's rows sit in the current step's global batch (the ranks' batches one after another, rank 0's
 * first): set before each forward pass, read by {@link GlobalBatchDropout} and by the batch-norm weighting in
 * {@link RankTrainable}. One per fit, used by the training thread only.
 */
final class GlobalBatch
{
    private long rows;
    private long firstRow;
    private long localRows;

    void set(final long globalRows, final long first, final long local)
    {
        rows = globalRows;
        firstRow = first;
        localRows = local;
    }

    /** Rows of the whole step over all ranks. */
    long rows()
    {
        return rows;
    }

    /** This rank's first row in the global batch. */
    long firstRow()
    {
        return firstRow;
    }

    /** This rank's rows this step. */
    long localRows()
    {
        return localRows;
    }

    /** True when other ranks hold rows of this step too, so a random draw must span theirs as well. */
    boolean shared()
    {
        return rows != localRows;
    }
}
