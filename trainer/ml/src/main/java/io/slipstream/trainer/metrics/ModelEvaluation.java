package io.slipstream.trainer.metrics;

import io.slipstream.comm.Communicator;
import io.slipstream.comm.ReduceOp;
import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.model.Model;

/**
 * A model's confusion matrix on a data set's labelled rows (unlabelled rows are not counted), in one process or split
 * across a group: rank r predicts rows r, r + N, r + 2N... and one allreduce sums the ranks' counts, so every rank
 * gets the matrix of the whole set, equal to evaluating it in one process.
 */
public final class ModelEvaluation
{
    private ModelEvaluation()
    {
    }

    /** The confusion matrix of {@code model} on the labelled rows of {@code data}, in this process. */
    public static ConfusionMatrix confusion(final Model model, final Dataset data)
    {
        final ConfusionMatrix m = new ConfusionMatrix(data.numClasses());
        count(m, data, model.predict(data));
        return m;
    }

    /**
     * As {@link #confusion(Model, Dataset)}, with the rows predicted across {@code group}: a collective, called by
     * every rank of the group with the same model and data.
     */
    public static ConfusionMatrix confusion(final Model model, final Dataset data, final Communicator group)
    {
        final int size = group.size();
        if (size == 1)
        {
            return confusion(model, data);
        }
        final int rank = group.rank();
        final int mine = data.size() > rank ? (data.size() - rank + size - 1) / size : 0;
        final int[] rows = new int[mine];
        for (int i = 0; i < mine; i++)
        {
            rows[i] = rank + i * size;
        }
        final ConfusionMatrix local = new ConfusionMatrix(data.numClasses());
        if (mine > 0)
        {
            final Dataset shard = data.subset(rows);
            count(local, shard, model.predict(shard));
        }
        final long[] counts = local.toLongArray();
        group.allreduce(counts, ReduceOp.SUM);
        return ConfusionMatrix.fromLongArray(data.numClasses(), counts);
    }

    private static void count(final ConfusionMatrix m, final Dataset data, final int[] predicted)
    {
        for (int i = 0; i < predicted.length; i++)
        {
            if (data.label(i) != Dataset.UNLABELED)
            {
                m.add(data.label(i), predicted[i]);
            }
        }
    }
}
