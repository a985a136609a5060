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
            checkBuckets(resumeRows != null ? resumeRows : identity(datasetSize));
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
        return split(epoch)[0].length;
    }

    @Override
    public int[] samples(final int epoch, final int rank)
    {
        if (rank < 0 || rank >= worldSize)
        {
            throw new IllegalArgumentException("rank " + rank + " is not in 0.." + (worldSize - 1));
        }
        return split(epoch)[rank];
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
        if (epoch < 0)
        {
            throw new IllegalArgumentException("epoch must not be negative, got " + epoch);
        }
        final boolean resumed = epoch == resumeEpoch;
        final int[] rows = resumed ? resumeRows : strategy == Strategy.ORDERED ? identity(datasetSize) :
            permutation(datasetSize, seed, epoch);
        return strategy == Strategy.PARTITIONED ? byKey(rows) : byPosition(rows);
    }

    private int[][] byPosition(final int[] rows)
    {
        final int m = rows.length;
        if (remainder == Remainder.DROP && m < worldSize)
        {
            throw new IllegalArgumentException(m + " samples left for " + worldSize + " ranks with remainder drop " +
                "leaves nothing to read; use remainder pad or fewer ranks");
        }
        final int perRank = remainder == Remainder.DROP ? m / worldSize : (m + worldSize - 1) / worldSize;
        final int[][] shares = new int[worldSize][perRank];
        final boolean interleave = strategy == Strategy.RANDOM;
        for (int r = 0; r < worldSize; r++)
        {
            final int[] share = shares[r];
            for (int i = 0; i < perRank; i++)
            {
                final int position = interleave ? i * worldSize + r : r * perRank + i;
                share[i] = rows[position % m];
            }
        }
        return shares;
    }

    private int[][] byKey(final int[] rows)
    {
        final int[] counts = new int[worldSize];
        for (final int row : rows)
        {
            counts[bucket(row)]++;
        }
        int smallest = Integer.MAX_VALUE;
        int largest = 0;
        for (final int count : counts)
        {
            smallest = Math.min(smallest, count);
            largest = Math.max(largest, count);
        }
        final int[][] members = new int[worldSize][];
        for (int r = 0; r < worldSize; r++)
        {
            members[r] = new int[counts[r]];
        }
        final int[] fill = new int[worldSize];
        for (final int row : rows)
        {
            final int r = bucket(row);
            members[r][fill[r]++] = row;
        }
        final int perRank = remainder == Remainder.DROP ? smallest : largest;
        final int[][] shares = new int[worldSize][perRank];
        for (int r = 0; r < worldSize; r++)
        {
            for (int i = 0; i < perRank; i++)
            {
                shares[r][i] = members[r][i % members[r].length];
            }
        }
        return shares;
    }

    private void checkBuckets(final int[] rows)
    {
        final boolean[] seen = new boolean[worldSize];
        int filled = 0;
        for (final int row : rows)
        {
            final int r = bucket(row);
            if (!seen[r])
            {
                seen[r] = true;
                filled++;
            }
        }
        if (filled < worldSize)
        {
            throw new IllegalArgumentException("partitioned sharding leaves " + (worldSize - filled) + " of " +
                worldSize + " ranks without rows (too few distinct keys): use fewer ranks, another key column, " +
                "or strategy random");
        }
    }

    private int bucket(final int row)
    {
        return (int)Math.floorMod(mix(keys[row] + GOLDEN), (long)worldSize);
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
