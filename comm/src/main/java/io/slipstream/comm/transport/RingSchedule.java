package io.slipstream.comm.transport;

/**
 * Where each chunk of a ring collective goes, and when it may go. The buffer is split into one block per rank
 * (element blocks of {@code count}, or {@code blockBytes} per rank for allgather); each step moves one block to the
 * right neighbour in {@code chunks} pieces, numbered 0.. {@code total()} in sending order. In the first
 * {@code reduceSteps} steps (reduce-scatter) rank r sends block (r - 1 - s) and reduces block (r - 2 - s) into its
 * own, so it ends holding block r reduced; in allgather step t it sends block (r - t) and copies in (r - 1 - t).
 * Reused per call: {@link #plan} allocates nothing.
 */
final class RingSchedule
{
    private int n;
    private int me;
    private int count;
    private int elementSize;
    private int blockBytes;
    private int reduceSteps;
    private int chunks;
    private int total;

    void plan(
        final int n,
        final int me,
        final int count,
        final int elementSize,
        final int blockBytes,
        final int steps,
        final int reduceSteps,
        final int chunkBytes)
    {
        this.n = n;
        this.me = me;
        this.count = count;
        this.elementSize = elementSize;
        this.blockBytes = blockBytes;
        this.reduceSteps = reduceSteps;
        final int maxBlock = blockBytes > 0 ? blockBytes : blockLength(0) * elementSize;
        this.chunks = Math.max(1, (maxBlock + chunkBytes - 1) / chunkBytes); // empty blocks still send one frame
        this.total = steps * chunks;
    }

    int total()
    {
        return total;
    }

    /** Pieces per step: chunk {@code i + chunks()} is piece {@code i}'s next hop. */
    int chunks()
    {
        return chunks;
    }

    /** Chunk {@code sent} of step s may go once chunk {@code sent - chunks} (same piece, step s - 1) has arrived. */
    boolean maySend(final int sent, final int received)
    {
        return sent < chunks || received > sent - chunks;
    }

    /**
     * An allgather chunk overwrites a block this rank sent in reduce-scatter; it must wait until that send is done
     * (a fast left neighbour can be a whole lap ahead of a slow right one).
     */
    boolean mustWait(final int index, final int sent)
    {
        return index >= reduceSteps * chunks && index - (n - 1) * chunks >= sent;
    }

    boolean reduces(final int index)
    {
        return index / chunks < reduceSteps;
    }

    /** Byte offset, from the start of the collective's buffer, of chunk {@code index} as sent or as received. */
    int offset(final int index, final boolean sending)
    {
        final int step = index / chunks;
        final int c = index - step * chunks;
        final int b = block(step, sending);
        if (blockBytes > 0)
        {
            return b * blockBytes + split(c, blockBytes);
        }
        return (blockStart(b) + split(c, blockLength(b))) * elementSize;
    }

    int length(final int index, final boolean sending)
    {
        final int step = index / chunks;
        final int c = index - step * chunks;
        final int b = block(step, sending);
        if (blockBytes > 0)
        {
            return split(c + 1, blockBytes) - split(c, blockBytes);
        }
        final int len = blockLength(b);
        return (split(c + 1, len) - split(c, len)) * elementSize;
    }

    private int split(final int c, final int length)
    {
        return (int)((long)c * length / chunks);
    }

    private int block(final int step, final boolean sending)
    {
        final int shift;
        if (step < reduceSteps)
        {
            shift = sending ? 1 + step : 2 + step;
        }
        else
        {
            final int t = step - reduceSteps;
            shift = sending ? t : 1 + t;
        }
        return ((me - shift) % n + n) % n;
    }

    private int blockStart(final int b)
    {
        return b * (count / n) + Math.min(b, count % n);
    }

    private int blockLength(final int b)
    {
        return count / n + (b < count % n ? 1 : 0);
    }
}
