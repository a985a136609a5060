package io.slipstream.jmh;

import io.slipstream.comm.JvmFlags;
import io.slipstream.trainer.state.TrainingState;
import io.slipstream.trainer.state.TrainingStateFormat;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Checkpoint encoding (format + SHA-256) to a file against a raw sequential write of the same number of
 * bytes, both without fsync (fsync measures the disk, not the code). GB/s = bytes / time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    JvmFlags.EXPORT_MISC, JvmFlags.VECTOR_API, JvmFlags.NATIVE_ACCESS})
public class CheckpointWriteBenchmark
{
    @Param({"4194304"})
    public int params;

    private TrainingState state;
    private ByteBuffer raw;
    private Path dir;
    private Path file;

    @Setup(Level.Trial)
    public void setup() throws IOException
    {
        final Random random = new Random(1);
        final float[] p = new float[params];
        final float[] u = new float[params * 2];
        for (int i = 0; i < p.length; i++)
        {
            p[i] = (float)random.nextGaussian();
        }
        state = new TrainingState(new byte[32], "bench", 2, 1, 0, 1, 0, 0, p, u);
        raw = ByteBuffer.allocateDirect((int)TrainingStateFormat.encodedLength(state));
        dir = Files.createTempDirectory("slipstream-jmh-ckpt");
        file = dir.resolve("state.ckpt");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
    }

    @Benchmark
    public void checkpointFormat() throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            final OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 20);
            TrainingStateFormat.write(state, out);
            out.flush();
        }
    }

    @Benchmark
    public void rawSequentialWrite() throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            raw.clear();
            while (raw.hasRemaining())
            {
                channel.write(raw);
            }
        }
    }
}
