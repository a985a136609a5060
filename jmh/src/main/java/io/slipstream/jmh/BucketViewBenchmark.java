package io.slipstream.jmh;

import io.slipstream.comm.JvmFlags;
import io.slipstream.kernels.FiniteCheck;
import io.slipstream.kernels.GradientBuckets;
import org.agrona.concurrent.UnsafeBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
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

import java.util.concurrent.TimeUnit;

/**
 * The per-step walk over gradient buckets (what the trainer does before each allreduce) and the finite
 * check over their zero-copy buffers. Run with {@code -prof gc}: both should show ~0 B/op.
 *
 * <pre>java ... org.openjdk.jmh.Main BucketViewBenchmark -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    JvmFlags.EXPORT_MISC, JvmFlags.VECTOR_API, JvmFlags.NATIVE_ACCESS})
public class BucketViewBenchmark
{
    @Param({"4194304"})
    public int elements;

    @Param({"262144"})
    public int bucketBytes;

    private GradientBuckets buckets;

    @Setup
    public void setup()
    {
        buckets = new GradientBuckets(Nd4j.rand(DataType.FLOAT, elements), bucketBytes);
    }

    /** Touches the first float of every bucket through its buffer: the bookkeeping cost of bucketing. */
    @Benchmark
    public float walkBuckets()
    {
        float sum = 0;
        for (int b = 0, n = buckets.count(); b < n; b++)
        {
            final UnsafeBuffer buffer = buckets.buffer(b);
            sum += buffer.getFloat(0) + buckets.length(b);
        }
        return sum;
    }

    /** Scans every element for NaN/Inf (elements * 4 bytes per op). */
    @Benchmark
    public long finiteCheck()
    {
        return FiniteCheck.firstNonFinite(buckets);
    }
}
