package io.slipstream.jmh;

import io.slipstream.comm.JvmFlags;
import io.slipstream.launcher.shard.ShardPlan;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What a rank pays at the start of each epoch: {@code ShardPlan.samples(epoch, rank)} for {@code samples} rows over
 * {@code ranks} ranks, for the random, ordered and partitioned strategies. Each call asks for a new epoch so no
 * result can be reused; the partitioned plan has {@code samples / 64} distinct keys in a shuffled row order.
 *
 * <pre>mvn -B -o -q -DskipTests package &amp;&amp; java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
 *   -cp "jmh/target/classes:$(cat jmh/target/classpath.txt)" org.openjdk.jmh.Main ShardPlan -f 1 -wi 2 -i 3</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    JvmFlags.EXPORT_MISC, JvmFlags.VECTOR_API, JvmFlags.NATIVE_ACCESS})
public class ShardPlanBenchmark
{
    @Param({"1000000"})
    public int samples;

    @Param({"4"})
    public int ranks;

    private ShardPlan random;
    private ShardPlan ordered;
    private ShardPlan partitioned;
    private int epoch;

    @Setup
    public void setup()
    {
        random = ShardPlan.random(samples, ranks, 42L, ShardPlan.Remainder.PAD);
        ordered = ShardPlan.ordered(samples, ranks, ShardPlan.Remainder.PAD);
        final long[] keys = new long[samples];
        final SplittableRandom rng = new SplittableRandom(7L);
        final int distinct = Math.max(ranks, samples / 64);
        for (int i = 0; i < samples; i++)
        {
            keys[i] = rng.nextInt(distinct);
        }
        partitioned = ShardPlan.partitioned(keys, ranks, 42L, ShardPlan.Remainder.PAD);
    }

    @Benchmark
    public int[] random()
    {
        return random.samples(++epoch, epoch % ranks);
    }

    @Benchmark
    public int[] ordered()
    {
        return ordered.samples(++epoch, epoch % ranks);
    }

    @Benchmark
    public int[] partitioned()
    {
        return partitioned.samples(++epoch, epoch % ranks);
    }
}
