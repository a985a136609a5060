package io.slipstream.jmh;

import io.slipstream.comm.JvmFlags;
import io.slipstream.kernels.CompressedGradient;
import io.slipstream.kernels.Compression;
import org.agrona.concurrent.UnsafeBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
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
 * The 16-bit gradient codecs with error feedback. GB/s = float32 gradient bytes (4 * elements) / time:
 * {@code encode} is residual add + cast + new residual; {@code decodeSum} decodes two ranks' buckets and sums
 * them in float32, as a 2-rank step does after the allgather.
 *
 * <pre>mvn -B -o -q -pl jmh -am package -DskipTests &amp;&amp; java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
 *   -cp "jmh/target/classes:$(cat jmh/target/classpath.txt)" org.openjdk.jmh.Main CodecBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    JvmFlags.EXPORT_MISC, JvmFlags.VECTOR_API, JvmFlags.NATIVE_ACCESS})
public class CodecBenchmark
{
    @Param({"BF16", "FP16"})
    public Compression compression;

    @Param({"1048576"})
    public int elements;

    private CompressedGradient codec;

    @Setup
    public void setup()
    {
        final INDArray gradient = Nd4j.rand(DataType.FLOAT, elements).subi(0.5);
        codec = new CompressedGradient(compression, gradient, 2, 4 * 1024 * 1024);
        codec.encode();
        for (int b = 0; b < codec.buckets(); b++)
        {
            final UnsafeBuffer gather = codec.gatherBuffer(b);
            final int bytes = codec.sendBytes(b);
            gather.putBytes(0, codec.sendBuffer(b), 0, bytes);
            gather.putBytes(bytes, codec.sendBuffer(b), 0, bytes);
        }
    }

    @Benchmark
    public void encode()
    {
        codec.encode();
    }

    @Benchmark
    public void decodeSum()
    {
        codec.decodeSum();
    }
}
