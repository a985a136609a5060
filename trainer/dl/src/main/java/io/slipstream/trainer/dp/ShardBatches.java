package io.slipstream.trainer.dp;

import io.slipstream.comm.OneLineLog;
import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.data.ShardAssignment;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.System.Logger.Level;


/**
 * Batch mode: an in-memory data set read through a shard plan, {@code batchSize} samples per batch
 * ({@code 0} means the whole shard in one batch: full-batch gradient descent).
 */
public final class ShardBatches implements BatchSource
{
    private static final OneLineLog LOG = OneLineLog.of(ShardBatches.class);

    private final Dataset data;
    private final ShardAssignment shards;
    private final int rank;
    private final int batchSize;
    private final int epochs;
    private final DataSetPreProcessor preProcessor;
    private int[] samples = new int[0];
    private int position;

    public ShardBatches(final Dataset data, final ShardAssignment shards, final int rank, final int batchSize, final int epochs)
    {
        this(data, shards, rank, batchSize, epochs, null);
    }

    /** {@code preProcessor} (e.g. a fitted standardiser) is applied to every batch; may be null. */
    public ShardBatches(
        final Dataset data,
        final ShardAssignment shards,
        final int rank,
        final int batchSize,
        final int epochs,
        final DataSetPreProcessor preProcessor)
    {
        if (shards.datasetSize() != data.size())
        {
            throw new IllegalArgumentException("shard plan covers " + shards.datasetSize() + " samples but the data set has " +
                data.size() + ": build the plan for this data set");
        }
        if (batchSize < 0 || epochs < 1)
        {
            throw new IllegalArgumentException("batch_size must be >= 0 (0: full batch) and epochs >= 1, were " +
                batchSize + " and " + epochs);
        }
        this.data = data;
        this.shards = shards;
        this.rank = rank;
        this.batchSize = batchSize;
        this.epochs = epochs;
        this.preProcessor = preProcessor;
    }

    @Override
    public int epochs()
    {
        return epochs;
    }

    @Override
    public void startEpoch(final int epoch, final long samplesInEpoch)
    {
        samples = shards.samples(epoch, rank);
        final int worldSize = shards.worldSize();
        if (samplesInEpoch % worldSize != 0)
        {
            LOG.log(Level.WARNING, "resuming at global sample " + samplesInEpoch + " of epoch " + epoch + " with " +
                worldSize +
                " ranks: not a multiple of the world size, " + samplesInEpoch % worldSize +
                " sample(s) of this epoch are skipped");
        }
        position = (int)Math.min(samples.length, samplesInEpoch / worldSize);
    }

    /** Batches left in the epoch from the current position. */
    public int remainingBatches()
    {
        final int left = samples.length - position;
        final int size = batchSize == 0 ? Math.max(1, samples.length) : batchSize;
        return (left + size - 1) / size;
    }

    @Override
    public DataSet next()
    {
        if (position >= samples.length)
        {
            return null;
        }
        final int size = batchSize == 0 ? samples.length : Math.min(batchSize, samples.length - position);
        final int features = data.numFeatures();
        final int classes = data.numClasses();
        // Filled in Java and handed to ND4J in one copy each, not element by element through JNI.
        final float[] x = new float[size * features];
        final float[] y = new float[size * classes];
        for (int i = 0; i < size; i++)
        {
            final int row = samples[position + i];
            final double[] values = data.row(row);
            for (int f = 0; f < features; f++)
            {
                x[i * features + f] = (float)values[f];
            }
            y[i * classes + data.label(row)] = 1.0f;
        }
        position += size;
        final DataSet batch = new DataSet(
            Nd4j.create(x, new long[]{size, features}, DataType.FLOAT), Nd4j.create(y, new long[]{size, classes}, DataType.FLOAT));
        if (preProcessor != null)
        {
            preProcessor.preProcess(batch);
        }
        return batch;
    }
}
