package io.slipstream.launcher.shard;

import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.data.ShardAssignment;

import java.util.Arrays;

/**
 * Which global sample indices each rank reads in each epoch: a pure function of (dataset size, world
 * size, epoch, seed, strategy, remainder policy, key column), so every rank computes the same plan
 * without talking.
 *
 * <h2>Strategies</h2>
 * <ul>
 *   <li>{@link Strategy#RANDOM}: the epoch's rows are a permutation seeded by (seed, epoch); rank r reads
 *   positions r, r + world, r + 2·world, ... of it.</li>
 *   <li>{@link Strategy#ORDERED}: rows in index order; rank r reads one contiguous range.</li>
 *   <li>{@link Strategy#PARTITIONED}: rank = hash(key) mod world, so rows with the same key stay on one
 *   rank; within a rank the rows are shuffled by (seed, epoch).</li>
 * </ul>
 *
 * <h2>Equal counts</h2>
 * Every rank reads the same number of samples per epoch, so no rank waits in a collective the others
 * never call. {@link Remainder#DROP} cuts every rank to the smallest share (the dropped rows differ per
 * epoch under RANDOM); {@link Remainder#PAD} fills every rank up to the largest share by wrapping around
 * its own share (or, for RANDOM and ORDERED, around the epoch's row list), so a few rows are read twice.
 *
 * <h2>Global order and resuming with another world size</h2>
 * {@link #globalOrder(int)} lists the epoch as it is consumed: position p = i·world + r is rank r's i-th
 * sample. After every rank has read i samples, positions [0, i·world) are done. A checkpoint stores that
 * position; {@link #continueAt(int, long, int)} builds the plan for a new world size whose resumed epoch
 * covers exactly the rows at positions ≥ p (same strategy applied to them: under RANDOM the new ranks
 * continue in the same global order), and whose later epochs are the plain plan for the new world.
 */
public final class ShardPlan implements ShardAssignment
{
    public enum Strategy
    {
        RANDOM, ORDERED, PARTITIONED
    }

    public enum Remainder
    {
        DROP, PAD
    }

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final int datasetSize;
    private final int worldSize;
    private final long seed;
    private final Strategy strategy;
    private final Remainder remainder;
    private final long[] keys;
    private final int[] buckets;
    private final int[] bucketSizes;
    private final int resumeEpoch;
    private final int[] resumeRows;

    private ShardPlan(
        final int datasetSize,
        final int worldSize,
        final long seed,
        final Strategy strategy,
        final Remainder remainder,
        final long[] keys,
        final int resumeEpoch,
        final int[] resumeRows)
    {
        if (datasetSize < 1)
        {
            throw new IllegalArgumentException("dataset size must be at least 1, got " + datasetSize);
        }
        if (worldSize < 1)
        {
            throw new IllegalArgumentException("world size must be at least 1, got " + worldSize);
        }
        if (remainder == Remainder.DROP && strategy != Strategy.PARTITIONED && datasetSize < worldSize)
        {
            throw new IllegalArgumentException("dropping the remainder leaves nothing to read: " + datasetSize +
                " samples for " + worldSize + " ranks; use fewer ranks or remainder pad");
        }
        this.datasetSize = datasetSize;
        this.worldSize = worldSize;
        this.seed = seed;
        this.strategy = strategy;
        this.remainder = remainder;
        this.keys = keys;
        this.resumeEpoch = resumeEpoch;
        this.resumeRows = resumeRows;
        if (strategy == Strategy.PARTITIONED)
        {
            // A row's rank depends only on its key and the world size: hash every key once, not every epoch.
            buckets = new int[datasetSize];
            for (int row = 0; row < datasetSize; row++)
            {
                buckets[row] = (int)Math.floorMod(mix(keys[row] + GOLDEN), (long)worldSize);
            }
            bucketSizes = countBuckets(identity(datasetSize));
            checkBuckets(resumeRows != null ? countBuckets(resumeRows) : bucketSizes);
        }
        else
        {
            buckets = null;
            bucketSizes = null;
        }
    }

    public static ShardPlan random(final int datasetSize, final int worldSize, final long seed, final Remainder remainder)
    {
        return new ShardPlan(datasetSize, worldSize, seed, Strategy.RANDOM, remainder, null, -1, null);
    }

    public static ShardPlan ordered(final int datasetSize, final int worldSize, final Remainder remainder)
    {
        return new ShardPlan(datasetSize, worldSize, 0, Strategy.ORDERED, remainder, null, -1, null);
    }

    /** {@code keys[i]} is row i's key; rows with equal keys go to the same rank. */
    public static ShardPlan partitioned(
        final long[] keys, final int worldSize, final long seed, final Remainder remainder)
    {
        return new ShardPlan(keys.length, worldSize, seed, Strategy.PARTITIONED, remainder, keys.clone(), -1, null);
    }

    /** The keys of a feature column, equal for equal values (-0.0 counts as 0.0). */
    public static long[] keyColumn(final Dataset data, final int column)
    {
        if (column < 0 || column >= data.numFeatures())
        {
            throw new IllegalArgumentException("key column " + column + " does not exist; the data has columns 0.." +
                (data.numFeatures() - 1));
        }
        final long[] keys = new long[data.size()];
        for (int i = 0; i < keys.length; i++)
        {
            final double value = data.feature(i, column);
            keys[i] = Double.doubleToLongBits(value == 0.0 ? 0.0 : value);
        }
        return keys;
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

    public Strategy strategy()
    {
        return strategy;
    }

    public Remainder remainder()
    {
        return remainder;
    }

    /** How many samples each rank reads in {@code epoch} (the same for every rank). */
    public int samplesPerRank(final int epoch)
    {
        checkEpoch(epoch);
        if (strategy == Strategy.PARTITIONED)
        {
            return perRankByKey(sizes(epoch));
        }
        return perRankByPosition(epoch == resumeEpoch ? resumeRows.length : datasetSize);
    }

    @Override
    public int[] samples(final int epoch, final int rank)
    {
        if (rank < 0 || rank >= worldSize)
        {
            throw new IllegalArgumentException("rank " + rank + " is not in 0.." + (worldSize - 1));
        }
        checkEpoch(epoch);
        final int[] rows = rows(epoch);
        if (strategy == Strategy.PARTITIONED)
        {
            return shareByKey(rows, sizes(epoch), rank);
        }
        final int m = rows != null ? rows.length : datasetSize;
        return shareByPosition(rows, m, perRankByPosition(m), rank);
    }

    /** The epoch as consumed: position i·world + r is rank r's i-th sample. */
    public int[] globalOrder(final int epoch)
    {
        final int[][] shares = split(epoch);
        final int perRank = shares[0].length;
        final int[] order = new int[perRank * worldSize];
        for (int r = 0; r < worldSize; r++)
        {
            final int[] share = shares[r];
            for (int i = 0; i < perRank; i++)
            {
                order[i * worldSize + r] = share[i];
            }
        }
        return order;
    }

    /**
     * The plan for {@code newWorldSize} ranks that resumes {@code epoch} after its first
     * {@code globalPosition} samples (a multiple of this plan's world size: a step boundary).
     */
    public ShardPlan continueAt(final int epoch, final long globalPosition, final int newWorldSize)
    {
        final int[] order = globalOrder(epoch);
        if (globalPosition < 0 || globalPosition > order.length || globalPosition % worldSize != 0)
        {
            throw new IllegalArgumentException("global position " + globalPosition + " is not a step boundary of " +
                "epoch " + epoch + ": expected a multiple of " + worldSize + " in 0.." + order.length);
        }
        final int[] rest = Arrays.copyOfRange(order, (int)globalPosition, order.length);
        if (rest.length == 0)
        {
            throw new IllegalArgumentException("epoch " + epoch + " is complete at position " + globalPosition +
                "; continue at the next epoch with a fresh plan instead");
        }
        if (strategy != Strategy.PARTITIONED && remainder == Remainder.DROP && rest.length < newWorldSize)
        {
            throw new IllegalArgumentException(rest.length + " samples left in epoch " + epoch + " for " +
                newWorldSize + " ranks with remainder drop leaves nothing to read; continue at the next epoch");
        }
        return new ShardPlan(datasetSize, newWorldSize, seed, strategy, remainder, keys, epoch, rest);
    }

    private int[][] split(final int epoch)
    {
        checkEpoch(epoch);
        final int[] rows = rows(epoch);
        final int[][] shares = new int[worldSize][];
        final int[] sizes = strategy == Strategy.PARTITIONED ? sizes(epoch) : null;
        final int m = rows != null ? rows.length : datasetSize;
        for (int r = 0; r < worldSize; r++)
        {
            shares[r] = sizes != null ? shareByKey(rows, sizes, r) : shareByPosition(rows, m, perRankByPosition(m), r);
        }
        return shares;
    }

    private static void checkEpoch(final int epoch)
    {
        if (epoch < 0)
        {
            throw new IllegalArgumentException("epoch must not be negative, got " + epoch);
        }
    }

    /** The epoch's rows in order; null for the identity (an ordered epoch that is not resumed). */
    private int[] rows(final int epoch)
    {
        if (epoch == resumeEpoch)
        {
            return resumeRows;
        }
        return strategy == Strategy.ORDERED ? null : permutation(datasetSize, seed, epoch);
    }

    /** How many of the epoch's rows each rank's key bucket holds. */
    private int[] sizes(final int epoch)
    {
        return epoch == resumeEpoch ? countBuckets(resumeRows) : bucketSizes;
    }

    private int perRankByPosition(final int m)
    {
        if (remainder == Remainder.DROP && m < worldSize)
        {
            throw new IllegalArgumentException(m + " samples left for " + worldSize + " ranks with remainder drop " +
                "leaves nothing to read; use remainder pad or fewer ranks");
        }
        return remainder == Remainder.DROP ? m / worldSize : (m + worldSize - 1) / worldSize;
    }

    /** Rank r's share of {@code m} rows ({@code rows} null: the identity). */
    private int[] shareByPosition(final int[] rows, final int m, final int perRank, final int r)
    {
        final int[] share = new int[perRank];
        final boolean interleave = strategy == Strategy.RANDOM;
        for (int i = 0; i < perRank; i++)
        {
            final int position = (interleave ? i * worldSize + r : r * perRank + i) % m;
            share[i] = rows != null ? rows[position] : position;
        }
        return share;
    }

    private int perRankByKey(final int[] sizes)
    {
        int smallest = Integer.MAX_VALUE;
        int largest = 0;
        for (final int size : sizes)
        {
            smallest = Math.min(smallest, size);
            largest = Math.max(largest, size);
        }
        return remainder == Remainder.DROP ? smallest : largest;
    }

    /** Rank r's rows in epoch order ({@code rows} null: the identity), cut or wrapped to the common count. */
    private int[] shareByKey(final int[] rows, final int[] sizes, final int r)
    {
        final int[] members = new int[sizes[r]];
        final int m = rows != null ? rows.length : datasetSize;
        int filled = 0;
        for (int p = 0; p < m; p++)
        {
            final int row = rows != null ? rows[p] : p;
            if (buckets[row] == r)
            {
                members[filled++] = row;
            }
        }
        final int[] share = new int[perRankByKey(sizes)];
        for (int i = 0; i < share.length; i++)
        {
            share[i] = members[i % members.length];
        }
        return share;
    }

    private int[] countBuckets(final int[] rows)
    {
        final int[] sizes = new int[worldSize];
        for (final int row : rows)
        {
            sizes[buckets[row]]++;
        }
        return sizes;
    }

    private void checkBuckets(final int[] sizes)
    {
        int empty = 0;
        for (final int size : sizes)
        {
            if (size == 0)
            {
                empty++;
            }
        }
        if (empty > 0)
        {
            throw new IllegalArgumentException("partitioned sharding leaves " + empty + " of " +
                worldSize + " ranks without rows (too few distinct keys): use fewer ranks, another key column, " +
                "or strategy random");
        }
    }

    private static int[] identity(final int n)
    {
        final int[] rows = new int[n];
        for (int i = 0; i < n; i++)
        {
            rows[i] = i;
        }
        return rows;
    }

    /** Fisher-Yates over a SplitMix64 stream seeded by (seed, epoch): identical in every JVM. */
    static int[] permutation(final int n, final long seed, final int epoch)
    {
        final int[] rows = identity(n);
        long state = mix(seed ^ mix(epoch + GOLDEN));
        for (int i = n - 1; i > 0; i--)
        {
            state += GOLDEN;
            final long bits = mix(state) >>> 32;
            final int j = (int)((bits * (i + 1)) >>> 32);
            final int swap = rows[i];
            rows[i] = rows[j];
            rows[j] = swap;
        }
        return rows;
    }

    /** SplitMix64's finaliser. */
    private static long mix(final long value)
    {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
