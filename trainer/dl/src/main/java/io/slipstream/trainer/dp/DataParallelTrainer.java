package io.slipstream.trainer.dp;

import io.slipstream.comm.OneLineLog;
import io.slipstream.comm.Communicator;
import io.slipstream.comm.ReduceOp;
import io.slipstream.kernels.ArrayBridge;
import io.slipstream.kernels.CompressedGradient;
import io.slipstream.kernels.Compression;
import io.slipstream.kernels.FiniteCheck;
import io.slipstream.kernels.GradientBuckets;
import org.agrona.concurrent.UnsafeBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.lang.System.Logger.Level;


/**
 * Synchronous data-parallel training of one DL4J network over a group of ranks. Every rank calls
 * {@link #step} with its own local micro-batches; afterwards all ranks hold bit-identical parameters.
 *
 * <p>One step: local gradients (SUM over each micro-batch, summed over the micro-batches) → finite check →
 * one small control allreduce (non-finite ranks, samples, loss, stop requests) → unless some rank's
 * gradient is not finite, the gradient is allreduced (SUM) in place, bucket by bucket, straight from ND4J
 * memory → updater with the global sample count → params -= update → iteration + 1. When a rank's
 * gradient is not finite every rank skips the step (the control sum is > 0 exactly when the MAX of the
 * ranks' 0/1 flags is 1, and the same collective carries the sample count); skips are counted and logged.
 *
 * <p>All buffers are allocated in the constructor; a step allocates no arrays of its own.
 */
public final class DataParallelTrainer
{
    private static final OneLineLog LOG = OneLineLog.of(DataParallelTrainer.class);

    private static final int NON_FINITE = 0;
    private static final int SAMPLES = 1;
    private static final int LOSS = 2;
    private static final int STOP = 3;

    private final Communicator group;
    private final TrainableNetwork net;
    private final DataParallelOptions options;
    private final GradientBuckets buckets;
    private final CompressedGradient compressed;
    private final INDArray accumulator;
    private final double[] control = new double[4];

    private long skippedSteps;
    private double lastLoss = Double.NaN;
    private long lastGlobalSamples;
    private long lastCommNanos;
    private boolean stopAgreed;

    public DataParallelTrainer(final Communicator group, final TrainableNetwork net, final DataParallelOptions options)
    {
        if (net.params().dataType() != DataType.FLOAT)
        {
            throw new IllegalArgumentException("data-parallel training exchanges float32 gradients, the network uses " +
                net.params().dataType() + ": build it with .dataType(DataType.FLOAT)");
        }
        this.group = group;
        this.net = net;
        this.options = options;
        buckets = new GradientBuckets(net.gradient(), options.bucketBytes());
        compressed = options.compression() == Compression.NONE ? null :
            new CompressedGradient(options.compression(), net.gradient(), group.size(), options.bucketBytes());
        accumulator = options.accumulationSteps() > 1 ? net.gradient().dup() : null;
    }

    public TrainableNetwork network()
    {
        return net;
    }

    public Communicator group()
    {
        return group;
    }

    public DataParallelOptions options()
    {
        return options;
    }

    /** Copies rank {@code root}'s parameters, updater state and counters to every rank (zero copy). */
    public void synchronizeFrom(final int root)
    {
        broadcast(net.params(), root);
        final INDArray state = net.updaterState();
        if (state != null)
        {
            broadcast(state, root);
        }
        final UnsafeBuffer countersBuffer = new UnsafeBuffer(new byte[16]);
        countersBuffer.putLong(0, net.iteration());
        countersBuffer.putLong(8, net.epoch());
        group.broadcast(countersBuffer, 0, 16, root);
        net.iteration((int)countersBuffer.getLong(0));
        net.epoch((int)countersBuffer.getLong(8));
        if (compressed != null)
        {
            compressed.resetResidual();
        }
    }

    private void broadcast(final INDArray array, final int root)
    {
        final long bytes = ArrayBridge.byteLength(array);
        final long chunk = Integer.MAX_VALUE & ~7L;
        final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        final long base = ArrayBridge.address(array);
        for (long at = 0; at < bytes; at += chunk)
        {
            final int length = (int)Math.min(chunk, bytes - at);
            view.wrap(base + at, length);
            group.broadcast(view, 0, length, root);
        }
    }

    /**
     * One synchronous step over this rank's {@code microBatches} (at most {@code accumulationSteps} of
     * them; an empty array or null entries mean this rank has no data left but still takes part).
     *
     * @param stopRequested this rank's stop flag; the ranks agree on it in the step's control allreduce.
     * @return true when the update was applied, false when the step was skipped or no rank had data.
     */
    public boolean step(final DataSet[] microBatches, final boolean stopRequested)
    {
        final int count = microBatches == null ? 0 : microBatches.length;
        if (count > options.accumulationSteps())
        {
            throw new IllegalArgumentException(count + " micro-batches given, accumulation_steps is " +
                options.accumulationSteps());
        }
        long samples = 0;
        double lossSum = 0;
        final INDArray gradient = net.gradient();
        boolean any = false;
        for (int i = 0; i < count; i++)
        {
            final DataSet batch = microBatches[i];
            if (batch == null || batch.numExamples() == 0)
            {
                continue;
            }
            final int n = batch.numExamples();
            lossSum += net.computeGradient(batch) * n;
            samples += n;
            if (accumulator != null)
            {
                if (any)
                {
                    accumulator.addi(gradient);
                }
                else
                {
                    accumulator.assign(gradient);
                }
            }
            any = true;
        }
        if (!any)
        {
            gradient.assign(0);
        }
        else if (accumulator != null)
        {
            gradient.assign(accumulator);
        }

        final long bad = any ? FiniteCheck.firstNonFinite(buckets) : -1;
        control[NON_FINITE] = bad >= 0 ? 1 : 0;
        control[SAMPLES] = samples;
        control[LOSS] = lossSum;
        control[STOP] = stopRequested ? 1 : 0;
        final long commStart = System.nanoTime();
        group.allreduce(control, ReduceOp.SUM);
        long commNanos = System.nanoTime() - commStart;

        stopAgreed = control[STOP] > 0;
        lastGlobalSamples = (long)control[SAMPLES];
        if (lastGlobalSamples == 0)
        {
            lastCommNanos = commNanos;
            return false;
        }
        lastLoss = control[LOSS] / lastGlobalSamples;
        if (control[NON_FINITE] > 0)
        {
            skippedSteps++;
            if (compressed != null)
            {
                compressed.resetResidual();
            }
            if (LOG.isLoggable(Level.WARNING))
            {
                LOG.log(Level.WARNING, "rank " + group.rank() + ": skipped step at iteration " + net.iteration() +
                    ": " +
                    (int)control[NON_FINITE] + " rank(s) had a non-finite gradient" +
                    (bad >= 0 ? " (here at element " + bad + ")" : "") + "; " + skippedSteps + " skipped so far");
            }
            lastCommNanos = commNanos;
            return false;
        }

        final long exchangeStart = System.nanoTime();
        exchange();
        commNanos += System.nanoTime() - exchangeStart;
        lastCommNanos = commNanos;

        net.applyUpdate((int)lastGlobalSamples);
        return true;
    }

    private void exchange()
    {
        if (compressed == null)
        {
            for (int b = 0, n = buckets.count(); b < n; b++)
            {
                group.allreduce(buckets.buffer(b), 0, buckets.length(b), io.slipstream.comm.DataType.FLOAT32, ReduceOp.SUM);
            }
            return;
        }
        compressed.encode();
        for (int b = 0, n = compressed.buckets(); b < n; b++)
        {
            group.allgather(compressed.sendBuffer(b), 0, compressed.sendBytes(b), compressed.gatherBuffer(b), 0);
            compressed.decodeSum(b);
        }
    }

    /** Steps skipped because some rank's gradient was not finite. */
    public long skippedSteps()
    {
        return skippedSteps;
    }

    public void skippedSteps(final long count)
    {
        skippedSteps = count;
    }

    /** Mean loss over all ranks' samples of the last step. */
    public double lastLoss()
    {
        return lastLoss;
    }

    public long lastGlobalSamples()
    {
        return lastGlobalSamples;
    }

    /** Time the last step spent in collectives, in nanoseconds. */
    public long lastCommNanos()
    {
        return lastCommNanos;
    }

    /** True when any rank asked to stop in the last step: every rank sees the same answer. */
    public boolean stopAgreed()
    {
        return stopAgreed;
    }
}
