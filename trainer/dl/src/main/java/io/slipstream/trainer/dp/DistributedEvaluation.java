package io.slipstream.trainer.dp;

import io.slipstream.comm.Communicator;
import io.slipstream.comm.ReduceOp;
import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.metrics.ClassificationMetrics;
import io.slipstream.trainer.metrics.ConfusionMatrix;
import io.slipstream.trainer.model.Model;

/**
 * Evaluation split across a group: rank r predicts rows r, r + N, r + 2N... of the test set, and the
 * ranks' confusion matrices are summed with one allreduce, so every rank gets the metrics of the whole
 * set, equal to evaluating it in one process. Unlabeled rows are not counted.
 */
public final class DistributedEvaluation
{
    private DistributedEvaluation()
    {
    }

    public static ConfusionMatrix confusion(final Model model, final Dataset test, final Communicator group)
    {
        final int rank = group.rank();
        final int size = group.size();
        final int mine = test.size() > rank ? (test.size() - rank + size - 1) / size : 0;
        final int[] rows = new int[mine];
        for (int i = 0; i < mine; i++)
        {
            rows[i] = rank + i * size;
        }
        final ConfusionMatrix local = new ConfusionMatrix(test.numClasses());
        if (mine > 0)
        {
            final Dataset shard = test.subset(rows);
            final int[] predicted = model.predict(shard);
            for (int i = 0; i < mine; i++)
            {
                if (shard.label(i) != Dataset.UNLABELED)
                {
                    local.add(shard.label(i), predicted[i]);
                }
            }
        }
        final long[] counts = local.toLongArray();
        group.allreduce(counts, ReduceOp.SUM);
        return ConfusionMatrix.fromLongArray(test.numClasses(), counts);
    }

    public static ClassificationMetrics evaluate(final Model model, final Dataset test, final Communicator group)
    {
        return new ClassificationMetrics(confusion(model, test, group));
    }
}
