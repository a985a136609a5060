package io.slipstream.jmh;

import io.slipstream.comm.JvmFlags;
import io.slipstream.comm.Communicator;
import io.slipstream.comm.DataType;
import io.slipstream.comm.IdleMode;
import io.slipstream.comm.ReduceOp;
import io.slipstream.comm.ThreadRanks;
import io.slipstream.comm.TransportKind;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Float32 SUM allreduce between two in-JVM ranks over IPC (each rank a thread, one embedded driver each, as
 * {@link ThreadRanks} starts them): time per op. Rank 0 is the JMH thread; rank 1 is a background thread that
 * answers every op. algbw = bytes / time; busbw = algbw for 2 ranks (x 2(n-1)/n).
 *
 * <p>Rank 1 learns when to stop from the data: both ranks zero element 0 before each op, so it stays 0, and
 * teardown sends one last op with 1 there.
 *
 * <pre>mvn -B -o -q -DskipTests package &amp;&amp; java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
 *   -cp "jmh/target/classes:$(cat jmh/target/classpath.txt)" org.openjdk.jmh.Main RingAllreduce -f 1 -wi 2 -i 3</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    JvmFlags.EXPORT_MISC, JvmFlags.VECTOR_API, JvmFlags.NATIVE_ACCESS})
public class RingAllreduceBenchmark
{
    private static final long WAIT_SECONDS = 60;

    /** 8 B is the latency path (recursive doubling); 4 MiB the ring. */
    @Param({"8", "4194304"})
    public int bytes;

    @Param({"BACKOFF"})
    public IdleMode idle;

    private final CompletableFuture<Communicator> rankZero = new CompletableFuture<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private Thread job;
    private Communicator comm;
    private UnsafeBuffer buffer;
    private int count;

    @Setup
    public void setup() throws Exception
    {
        count = bytes / 4;
        buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(bytes, 64));
        job = new Thread(
            () -> ThreadRanks.run(
                2,
                (builder) -> builder.transport(TransportKind.IPC).idleMode(idle),
                Duration.ofHours(2),
                this::rank),
            "allreduce-job");
        job.setDaemon(true);
        job.start();
        comm = rankZero.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Benchmark
    public void allreduce()
    {
        buffer.putFloat(0, 0.0f);
        comm.allreduce(buffer, 0, count, DataType.FLOAT32, ReduceOp.SUM);
    }

    @TearDown
    public void tearDown() throws InterruptedException
    {
        try
        {
            buffer.putFloat(0, 1.0f);
            comm.allreduce(buffer, 0, count, DataType.FLOAT32, ReduceOp.SUM);
        }
        finally
        {
            finished.countDown();
            job.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        }
        if (job.isAlive())
        {
            throw new IllegalStateException("RingAllreduceBenchmark: the ranks did not stop within " + WAIT_SECONDS +
                " s; see the rank threads' stacks");
        }
    }

    private void rank(final Communicator rankComm) throws InterruptedException
    {
        if (rankComm.rank() == 0)
        {
            rankZero.complete(rankComm);
            if (!finished.await(2, TimeUnit.HOURS))
            {
                throw new IllegalStateException("RingAllreduceBenchmark: teardown never came");
            }
            return;
        }
        final UnsafeBuffer own = new UnsafeBuffer(BufferUtil.allocateDirectAligned(bytes, 64));
        do
        {
            own.putFloat(0, 0.0f);
            rankComm.allreduce(own, 0, count, DataType.FLOAT32, ReduceOp.SUM);
        }
        while (own.getFloat(0) == 0.0f);
    }
}
