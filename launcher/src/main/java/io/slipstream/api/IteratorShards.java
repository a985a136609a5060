package io.slipstream.api;

import io.slipstream.comm.Communicator;
import io.slipstream.comm.ReduceOp;
import io.slipstream.trainer.dp.BatchSource;
import io.slipstream.trainer.dp.TrainableNetwork;
import io.slipstream.trainer.model.UserInputException;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A DL4J iterator's batches dealt to the ranks: every rank reads the same iterator (the same data in the same
 * order), step s of an epoch is its batches {@code s*N .. s*N+N-1}, and rank r trains on batch {@code s*N+r}. So
 * every rank knows the sizes of all of a step's batches without asking, hence where its rows sit in the global batch
 * ({@link GlobalBatch}); at the end of an epoch a rank whose batch is missing takes part with none. Before each step
 * it seeds ND4J's generator with {@link DataParallelNetwork#stepSeed}, the same on every rank.
 *
 * <p>Or each rank reads its own iterator ({@link #ownData}): then one tiny allreduce per step tells every rank
 * the others' batch sizes, and the epoch ends when no rank has a batch left.
 *
 * <p>Positions are global samples, as {@link BatchSource} asks: a resume skips whole steps up to the checkpoint's
 * sample. An {@link EpochListener} runs at every epoch boundary (all ranks together) and may end training early.
 */
final class IteratorShards implements BatchSource
{
    /** Called on every rank when an epoch of this fit has ended; returns true to end training there. */
    interface EpochListener
    {
        boolean epochEnded(int epoch);
    }

    private final DataSetIterator data;
    private final Communicator world;
    private final long[] sizes;
    private final int rank;
    private final int size;
    private final int epochs;
    private final GlobalBatch batch;
    private final TrainableNetwork net;
    private final long seed;
    private final EpochListener listener;
    private int startedEpoch = -1;
    private boolean ended;
    private int epochsDone;

    /**
     * @param world     the ranks; used only with {@code ownData}.
     * @param ownData   true when {@code data} is this rank's own share; false when every rank passes the same data.
     */
    IteratorShards(
        final DataSetIterator data,
        final Communicator world,
        final boolean ownData,
        final int epochs,
        final GlobalBatch batch,
        final TrainableNetwork net,
        final long seed,
        final EpochListener listener)
    {
        this.data = data;
        this.world = ownData ? world : null;
        this.sizes = ownData ? new long[world.size()] : null;
        this.rank = world.rank();
        this.size = world.size();
        this.epochs = epochs;
        this.batch = batch;
        this.net = net;
        this.seed = seed;
        this.listener = listener;
    }

    @Override
    public int epochs()
    {
        return epochs;
    }

    /** True when the listener ended training before the last epoch. */
    boolean endedEarly()
    {
        return ended;
    }

    /** Epochs this fit trained to their end in this process. */
    int epochsDone()
    {
        return epochsDone;
    }

    @Override
    public void startEpoch(final int epoch, final long samplesInEpoch)
    {
        if (startedEpoch >= 0 && !ended)
        {
            epochsDone++;
            ended = listener.epochEnded(startedEpoch);
        }
        startedEpoch = epoch;
        if (ended)
        {
            return;
        }
        if (data.resetSupported())
        {
            data.reset();
        }
        else if (epochsDone > 0 || samplesInEpoch > 0)
        {
            throw new UserInputException("the training iterator (" + data.getClass().getSimpleName() + ") cannot " +
                "be reset, so it cannot give a second epoch or resume: use an iterator that can, or 1 epoch");
        }
        long skipped = 0;
        while (skipped < samplesInEpoch)
        {
            final long step = readStep(null);
            if (step == 0)
            {
                break;
            }
            skipped += step;
        }
        if (skipped != samplesInEpoch)
        {
            throw new UserInputException("the checkpoint stopped at global sample " + samplesInEpoch + " of epoch " +
                (epoch + 1) + ", which is not the end of a step of this iterator on " + size + " rank(s): resume " +
                "with the number of ranks and the batch size that wrote it");
        }
    }

    /** After the last epoch: lets the listener see it too. Returns whether it asked to stop. */
    boolean finish()
    {
        if (startedEpoch >= 0 && !ended)
        {
            epochsDone++;
            ended = listener.epochEnded(startedEpoch) && startedEpoch + 1 < epochs;
        }
        return ended;
    }

    @Override
    public DataSet next()
    {
        if (ended)
        {
            return null;
        }
        final DataSet[] mine = new DataSet[1];
        final long rows = readStep(mine);
        if (rows == 0)
        {
            return null;
        }
        Nd4j.getRandom().setSeed(DataParallelNetwork.stepSeed(seed, net.iteration()));
        return mine[0];
    }

    /**
     * Reads one step's batches; puts this rank's into {@code mine[0]} (when asked and present) and sets
     * {@link GlobalBatch}. Returns the step's global rows, 0 at the end of the epoch.
     */
    private long readStep(final DataSet[] mine)
    {
        if (world != null)
        {
            return readOwnStep(mine);
        }
        long rows = 0;
        long first = 0;
        long local = 0;
        for (int k = 0; k < size && data.hasNext(); k++)
        {
            final DataSet next = data.next();
            final int n = next.numExamples();
            if (k < rank)
            {
                first += n;
            }
            else if (k == rank && mine != null)
            {
                // Iterators may reuse a batch's arrays on their next call: keep a copy when more reads follow.
                mine[0] = k < size - 1 ? next.copy() : next;
                local = n;
            }
            rows += n;
        }
        batch.set(rows, first, local);
        return rows;
    }

    /** {@link #readStep} when each rank reads its own iterator: the ranks' batch sizes by one allreduce. */
    private long readOwnStep(final DataSet[] mine)
    {
        java.util.Arrays.fill(sizes, 0);
        final DataSet next = data.hasNext() ? data.next() : null;
        sizes[rank] = next == null ? 0 : next.numExamples();
        world.allreduce(sizes, ReduceOp.SUM);
        long rows = 0;
        long first = 0;
        for (int k = 0; k < size; k++)
        {
            first += k < rank ? sizes[k] : 0;
            rows += sizes[k];
        }
        if (mine != null)
        {
            mine[0] = next;
        }
        batch.set(rows, first, sizes[rank]);
        return rows;
    }
}
