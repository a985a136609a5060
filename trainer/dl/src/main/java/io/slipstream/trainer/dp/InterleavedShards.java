package io.slipstream.trainer.dp;

import io.slipstream.trainer.data.ShardAssignment;

import java.util.SplittableRandom;

/**
 * The default shard plan when the launcher gives none: each epoch's global order is a permutation
 * seeded by (seed, epoch), cut to a multiple of the world size (the last {@code size mod worldSize}
 * samples of the order wait for the next epoch's shuffle), and rank r reads positions r, r + N, r + 2N...
 * So global position p of the epoch is local position {@code p / N} on every rank, for any N: a run
 * resumed with another world size continues from the same global sample.
 */
public final class InterleavedShards implements ShardAssignment
{
    private final int datasetSize;
    private final int worldSize;
    private final long seed;

    public InterleavedShards(final int datasetSize, final int worldSize, final long seed)
    {
        if (worldSize < 1 || datasetSize < worldSize)
        {
            throw new IllegalArgumentException("cannot shard " + datasetSize + " samples over " + worldSize +
                " ranks: every rank needs at least one sample; use fewer ranks or more data");
        }
        this.datasetSize = datasetSize;
        this.worldSize = worldSize;
        this.seed = seed;
    }

    @Override
    public int worldSize()
    {
        return worldSize;
    }

    @Override
    public int datasetSize()
    {
        return datasetSize;
    }

    /** The epoch's global order (all samples; ranks use the first {@code size - size mod N}). */
    public int[] order(final int epoch)
    {
        final int[] order = new int[datasetSize];
        for (int i = 0; i < datasetSize; i++)
        {
            order[i] = i;
        }
        final SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        for (int i = datasetSize - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    @Override
    public int[] samples(final int epoch, final int rank)
    {
        if (rank < 0 || rank >= worldSize)
        {
            throw new IllegalArgumentException("rank " + rank + " is outside 0.." + (worldSize - 1));
        }
        final int[] order = order(epoch);
        final int perRank = datasetSize / worldSize;
        final int[] mine = new int[perRank];
        for (int i = 0; i < perRank; i++)
        {
            mine[i] = order[rank + i * worldSize];
        }
        return mine;
    }
}
