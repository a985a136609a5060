package io.slipstream.launcher.shard;

import io.slipstream.launcher.shard.ShardPlan.Remainder;
import io.slipstream.launcher.shard.ShardPlan.Strategy;
import io.slipstream.trainer.data.Dataset;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Property-style: many random (size, world, epoch, seed, strategy, remainder) cases, each checked in full. */
class ShardPlanTest
{
    private static final int CASES = 300;

    private static ShardPlan plan(
        final Strategy strategy, final int n, final int world, final long seed, final Remainder remainder,
        final long[] keys)
    {
        return switch (strategy)
        {
            case RANDOM -> ShardPlan.random(n, world, seed, remainder);
            case ORDERED -> ShardPlan.ordered(n, world, remainder);
            case PARTITIONED -> ShardPlan.partitioned(keys, world, seed, remainder);
        };
    }

    /** Keys with enough distinct values that every rank gets a partition. */
    private static long[] keys(final SplittableRandom random, final int n, final int world)
    {
        final long[] keys = new long[n];
        final int distinct = Math.max(world * 4, 1 + random.nextInt(Math.max(1, n)));
        for (int i = 0; i < n; i++)
        {
            keys[i] = random.nextInt(distinct);
        }
        return keys;
    }

    private interface CaseCheck
    {
        void check(
            Strategy strategy, Remainder remainder, ShardPlan plan, int n, int world, int epoch, long[] keys, long seed);
    }

    private static void forCases(final CaseCheck check)
    {
        final SplittableRandom random = new SplittableRandom(12345);
        int ran = 0;
        while (ran < CASES)
        {
            final Strategy strategy = Strategy.values()[random.nextInt(3)];
            final Remainder remainder = Remainder.values()[random.nextInt(2)];
            final int world = 1 + random.nextInt(9);
            final int n = world + random.nextInt(300);
            final long[] keys = keys(random, n, world);
            final long seed = random.nextLong();
            final ShardPlan plan;
            try
            {
                plan = plan(strategy, n, world, seed, remainder, keys);
            }
            catch (final IllegalArgumentException tooFewKeys)
            {
                continue;
            }
            check.check(strategy, remainder, plan, n, world, random.nextInt(50), keys, seed);
            ran++;
        }
    }

    @Test
    void everyRankReadsTheSameNumberOfSamples()
    {
        forCases((strategy, remainder, plan, n, world, epoch, keys, seed) ->
        {
            final int expected = plan.samplesPerRank(epoch);
            assertTrue(expected > 0);
            for (int r = 0; r < world; r++)
            {
                assertEquals(expected, plan.samples(epoch, r).length);
            }
            if (strategy != Strategy.PARTITIONED)
            {
                assertEquals(remainder == Remainder.DROP ? n / world : (n + world - 1) / world, expected);
            }
        });
    }

    @Test
    void dropIsDisjointAndPadCoversEverything()
    {
        forCases((strategy, remainder, plan, n, world, epoch, keys, seed) ->
        {
            final int[] reads = new int[n];
            for (int r = 0; r < world; r++)
            {
                for (final int sample : plan.samples(epoch, r))
                {
                    reads[sample]++;
                }
            }
            int covered = 0;
            for (final int count : reads)
            {
                if (remainder == Remainder.DROP)
                {
                    assertTrue(count <= 1, "DROP reads no sample twice");
                }
                covered += count > 0 ? 1 : 0;
            }
            if (remainder == Remainder.PAD)
            {
                assertEquals(n, covered, "PAD reads every sample");
            }
            else if (strategy != Strategy.PARTITIONED)
            {
                assertTrue(n - covered < world, "DROP loses fewer samples than ranks");
            }
        });
    }

    @Test
    void planIsAPureFunctionOfItsInputs()
    {
        forCases((strategy, remainder, plan, n, world, epoch, keys, seed) ->
        {
            final ShardPlan again = plan(strategy, n, world, seed, remainder, keys.clone());
            assertArrayEquals(plan.globalOrder(epoch), again.globalOrder(epoch));
        });
    }

    @Test
    void sameInputsGiveSameSharesAndEpochsDiffer()
    {
        final ShardPlan a = ShardPlan.random(1000, 4, 7, Remainder.DROP);
        final ShardPlan b = ShardPlan.random(1000, 4, 7, Remainder.DROP);
        for (int epoch = 0; epoch < 5; epoch++)
        {
            for (int r = 0; r < 4; r++)
            {
                assertArrayEquals(a.samples(epoch, r), b.samples(epoch, r));
            }
        }
        assertFalse(Arrays.equals(a.samples(0, 0), a.samples(1, 0)), "random reshuffles every epoch");
        assertFalse(Arrays.equals(a.samples(0, 0), ShardPlan.random(1000, 4, 8, Remainder.DROP).samples(0, 0)));
        final long[] keys = new long[500];
        for (int i = 0; i < keys.length; i++)
        {
            keys[i] = i % 37;
        }
        assertArrayEquals(ShardPlan.partitioned(keys, 3, 5, Remainder.PAD).globalOrder(2),
            ShardPlan.partitioned(keys, 3, 5, Remainder.PAD).globalOrder(2));
    }

    @Test
    void permutationIsFixedAcrossJvmsAndVersions()
    {
        // Pinned: a checkpoint's global position means the same samples after an upgrade or on another JVM.
        assertArrayEquals(new int[]{5, 1, 4, 8, 6, 3, 9, 2, 0, 7}, ShardPlan.permutation(10, 42, 0));
        final int[] sorted = ShardPlan.permutation(10, 42, 3).clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted);
    }

    @Test
    void orderedGivesContiguousRanges()
    {
        final ShardPlan plan = ShardPlan.ordered(10, 3, Remainder.DROP);
        assertArrayEquals(new int[]{0, 1, 2}, plan.samples(0, 0));
        assertArrayEquals(new int[]{3, 4, 5}, plan.samples(0, 1));
        assertArrayEquals(new int[]{6, 7, 8}, plan.samples(4, 2));
        final ShardPlan padded = ShardPlan.ordered(10, 3, Remainder.PAD);
        assertArrayEquals(new int[]{8, 9, 0, 1}, padded.samples(0, 2), "the last rank wraps to the start");
    }

    @Test
    void partitionedKeepsEqualKeysOnOneRank()
    {
        forCases((strategy, remainder, plan, n, world, epoch, keys, seed) ->
        {
            if (strategy != Strategy.PARTITIONED)
            {
                return;
            }
            final Map<Long, Integer> owner = new HashMap<>();
            for (int r = 0; r < world; r++)
            {
                for (final int sample : plan.samples(epoch, r))
                {
                    final Integer previous = owner.put(keys[sample], r);
                    assertTrue(previous == null || previous == r, "key " + keys[sample] + " on two ranks");
                }
            }
        });
    }

    @Test
    void partitionedRefusesTooFewKeys()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> ShardPlan.partitioned(new long[]{1, 1, 1, 1}, 2, 0, Remainder.PAD));
        assertTrue(ex.getMessage().contains("too few distinct keys"));
    }

    @Test
    void keyColumnOfADataset()
    {
        final Dataset data = new Dataset(new double[][]{{1.0, 0.0}, {2.0, -0.0}, {1.0, 3.0}}, new int[]{0, 1, 0},
            new String[]{"a", "b"}, new String[]{"x", "y"});
        final long[] keys = ShardPlan.keyColumn(data, 0);
        assertEquals(keys[0], keys[2]);
        assertEquals(ShardPlan.keyColumn(data, 1)[0], ShardPlan.keyColumn(data, 1)[1]);
        assertThrows(IllegalArgumentException.class, () -> ShardPlan.keyColumn(data, 2));
    }

    @Test
    void globalOrderMatchesTheShares()
    {
        forCases((strategy, remainder, plan, n, world, epoch, keys, seed) ->
        {
            final int[] order = plan.globalOrder(epoch);
            for (int r = 0; r < world; r++)
            {
                final int[] share = plan.samples(epoch, r);
                for (int i = 0; i < share.length; i++)
                {
                    assertEquals(share[i], order[i * world + r]);
                }
            }
        });
    }

    @Test
    void resumingWithAnotherWorldSizeReadsExactlyWhatWasLeft()
    {
        final SplittableRandom random = new SplittableRandom(99);
        forCases((strategy, remainder, plan, n, world, epoch, keys, seed) ->
        {
            final int perRank = plan.samplesPerRank(epoch);
            final int stepsDone = random.nextInt(perRank);
            final long position = (long)stepsDone * world;
            final int newWorld = 1 + random.nextInt(6);
            final ShardPlan resumed;
            try
            {
                resumed = plan.continueAt(epoch, position, newWorld);
            }
            catch (final IllegalArgumentException tooFewKeys)
            {
                return;
            }
            final int[] order = plan.globalOrder(epoch);
            final List<Integer> left = new ArrayList<>();
            for (int p = (int)position; p < order.length; p++)
            {
                left.add(order[p]);
            }
            final List<Integer> read = new ArrayList<>();
            final int newPerRank = resumed.samplesPerRank(epoch);
            for (int r = 0; r < newWorld; r++)
            {
                assertEquals(newPerRank, resumed.samples(epoch, r).length);
                for (final int sample : resumed.samples(epoch, r))
                {
                    read.add(sample);
                }
            }
            assertTrue(left.containsAll(read), "a resumed epoch reads nothing already read");
            if (remainder == Remainder.PAD)
            {
                assertTrue(read.containsAll(left), "PAD: a resumed epoch reads everything left");
            }
            if (strategy == Strategy.RANDOM && remainder == Remainder.DROP)
            {
                final int[] newOrder = resumed.globalOrder(epoch);
                for (int p = 0; p < newOrder.length; p++)
                {
                    assertEquals(left.get(p), newOrder[p], "random continues in the same global order");
                }
            }
            assertEquals(newWorld, resumed.worldSize());
            final ShardPlan fresh = plan(strategy, n, newWorld, seed, remainder, keys);
            for (int r = 0; r < newWorld; r++)
            {
                assertArrayEquals(fresh.samples(epoch + 1, r), resumed.samples(epoch + 1, r),
                    "epochs after the resumed one are the plain plan for the new world");
            }
        });
    }

    @Test
    void badArgumentsAreRefusedWithTheFix()
    {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ShardPlan.random(3, 4, 0, Remainder.DROP))
            .getMessage().contains("use fewer ranks or remainder pad"));
        final ShardPlan plan = ShardPlan.random(100, 4, 0, Remainder.DROP);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> plan.continueAt(0, 3, 2))
            .getMessage().contains("not a step boundary"));
        assertThrows(IllegalArgumentException.class, () -> plan.samples(0, 4));
        assertThrows(IllegalArgumentException.class, () -> plan.samples(-1, 0));
        assertEquals(Strategy.RANDOM, plan.strategy());
    }
}
