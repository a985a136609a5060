package io.slipstream.jmh;

import io.slipstream.comm.JvmFlags;
import io.slipstream.comm.DataType;
import io.slipstream.comm.ReduceOp;
import io.slipstream.comm.transport.Reducer;
import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * comm's reduction inner loop ({@link Reducer}, float32, {@code dst[i] = dst[i] op src[i]} over two off-heap
 * buffers) against the plain {@code y[i] += x[i]} loop over the same bytes, measured in the same run: the bound.
 *
 * <p>Every method reports the {@code gbps} counter: vector bytes ({@code bytes}) reduced per nanosecond, i.e. GB/s
 * (memory traffic is three times that: read x, read y, write y). The ratio {@code sum / bound} is the target
 * (at least 0.8). {@code sum} and {@code max} take the Vector API path (direct buffers, and the fork has
 * {@code --add-modules jdk.incubator.vector}); {@code sumBlocks} the block-copy path, through address-only views of
 * the same memory. Three plain loops are measured: {@code boundOffHeap} over the same direct buffers through
 * {@code getFloat}/{@code putFloat} (bounds-checked); {@code boundAddress} over their raw addresses (no checks, not
 * vectorised by the JDK 17 JIT); {@code boundArrays} over two {@code float[]} of the same size, which the JIT
 * vectorises and which is the strongest. Compare against the highest.
 *
 * <pre>mvn -B -o -q -DskipTests package &amp;&amp; java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
 *   -cp "jmh/target/classes:$(cat jmh/target/classpath.txt)" org.openjdk.jmh.Main Reduction -f 1 -wi 2 -i 3</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    JvmFlags.EXPORT_MISC, JvmFlags.VECTOR_API, JvmFlags.NATIVE_ACCESS})
public class ReductionBenchmark
{
    /**
     * 64 KiB stays in L1/L2; 16 MiB x 2 is far beyond L2 (1 MiB per core here) and fills a 32 MiB L3; 64 MiB x 2
     * is memory: the size the target's "memory bandwidth" means.
     */
    @Param({"65536", "16777216", "67108864"})
    public int bytes;

    private final Reducer reducer = new Reducer();
    private UnsafeBuffer x;
    private UnsafeBuffer y;
    private UnsafeBuffer xAddress;
    private UnsafeBuffer yAddress;
    private float[] xs;
    private float[] ys;
    private int count;

    /** Vector bytes reduced in this iteration; JMH divides by the iteration's time, so it reads as GB/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Gbps
    {
        public long gbps;

        @Setup(Level.Iteration)
        public void clear()
        {
            gbps = 0;
        }
    }

    @Setup
    public void setup()
    {
        count = bytes / 4;
        x = new UnsafeBuffer(BufferUtil.allocateDirectAligned(bytes, 64));
        y = new UnsafeBuffer(BufferUtil.allocateDirectAligned(bytes, 64));
        xAddress = new UnsafeBuffer(x.addressOffset(), bytes);
        yAddress = new UnsafeBuffer(y.addressOffset(), bytes);
        xs = new float[count];
        ys = new float[count];
        for (int i = 0; i < count; i++)
        {
            // Small values that keep sums finite and normal across billions of iterations (no denormal stalls).
            final float v = (i % 17) * 1.0e-30f;
            x.putFloat(i * 4, v);
            y.putFloat(i * 4, 1.0f);
            xs[i] = v;
            ys[i] = 1.0f;
        }
    }

    @Benchmark
    public void sum(final Gbps counter)
    {
        reducer.reduce(DataType.FLOAT32, ReduceOp.SUM, y, 0, x, 0, count, false);
        counter.gbps += bytes;
    }

    @Benchmark
    public void sumBlocks(final Gbps counter)
    {
        reducer.reduce(DataType.FLOAT32, ReduceOp.SUM, yAddress, 0, xAddress, 0, count, false);
        counter.gbps += bytes;
    }

    @Benchmark
    public void max(final Gbps counter)
    {
        reducer.reduce(DataType.FLOAT32, ReduceOp.MAX, y, 0, x, 0, count, false);
        counter.gbps += bytes;
    }

    @Benchmark
    public void boundOffHeap(final Gbps counter)
    {
        final UnsafeBuffer src = x;
        final UnsafeBuffer dst = y;
        final int end = count * 4;
        for (int i = 0; i < end; i += 4)
        {
            dst.putFloat(i, dst.getFloat(i) + src.getFloat(i));
        }
        counter.gbps += bytes;
    }

    @Benchmark
    public void boundAddress(final Gbps counter)
    {
        final long src = x.addressOffset();
        final long dst = y.addressOffset();
        final int n = count;
        for (int i = 0; i < n; i++)
        {
            final long at = (long)i << 2;
            UnsafeApi.putFloat(null, dst + at, UnsafeApi.getFloat(null, dst + at) + UnsafeApi.getFloat(null, src + at));
        }
        counter.gbps += bytes;
    }

    @Benchmark
    public void boundArrays(final Gbps counter)
    {
        final float[] src = xs;
        final float[] dst = ys;
        for (int i = 0; i < dst.length; i++)
        {
            dst[i] += src[i];
        }
        counter.gbps += bytes;
    }
}
