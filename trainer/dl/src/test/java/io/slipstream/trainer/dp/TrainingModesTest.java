package io.slipstream.trainer.dp;

import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.dl4j.MultiLayerTrainable;
import io.slipstream.trainer.model.RunHooks;
import io.slipstream.trainer.testing.Ranks;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Online (streaming CSV) and full-batch modes, distributed, against one process on the same global batches. */
class TrainingModesTest
{
    @TempDir
    Path dir;

    @Test
    void onlineStreamingOverRanksEqualsOneProcessOnConsecutiveBlocks() throws IOException
    {
        final int rows = 23;
        final DataSet data = Networks.data(rows, 17);
        final StringBuilder csv = new StringBuilder();
        for (int i = 0; i < rows; i++)
        {
            for (int f = 0; f < Networks.FEATURES; f++)
            {
                csv.append(data.getFeatures().getFloat(i, f)).append(',');
            }
            csv.append(data.getLabels().getRow(i).argMax().getInt(0)).append('\n');
        }
        final Path file = Files.writeString(dir.resolve("stream.csv"), csv);

        // 2 ranks x 4 rows per step read rows [8s, 8s + 8) together; the last step holds rows 16..22.
        final MultiLayerNetwork reference = Networks.mlp("adam", 3);
        for (int from = 0; from < rows; from += 8)
        {
            reference.fit(Networks.rows(data, from, Math.min(rows, from + 8)));
        }
        final List<INDArray> results = Ranks.run(2, (group) ->
        {
            final MultiLayerTrainable net = new MultiLayerTrainable(Networks.mlp("adam", 3));
            final DataParallelTrainer trainer = new DataParallelTrainer(group, net, DataParallelOptions.DEFAULT);
            try (CsvStream stream = new CsvStream(file, false, Networks.FEATURES, Networks.CLASSES, group.rank(), 2, 4))
            {
                assertEquals(TrainingRun.Outcome.COMPLETED, new TrainingRun(trainer, RunHooks.NONE, "t", 1).run(stream));
            }
            assertEquals(3, net.iteration());
            return net.params().dup();
        });
        assertArrayEquals(results.get(0).toFloatVector(), results.get(1).toFloatVector());
        assertTrue(Networks.relativeDifference(results.get(0), reference.params()) <= 1e-5);
    }

    @Test
    void fullBatchModeTakesOneStepPerEpochOverTheWholeSet()
    {
        final DataSet data = Networks.data(30, 19);
        final double[][] x = new double[30][];
        final int[] y = new int[30];
        for (int i = 0; i < 30; i++)
        {
            x[i] = data.getFeatures().getRow(i).toDoubleVector();
            y[i] = data.getLabels().getRow(i).argMax().getInt(0);
        }
        final Dataset table = new Dataset(x, y, new String[]{"a", "b", "c", "d", "e"}, new String[]{"p", "q", "r"});
        final MultiLayerNetwork reference = Networks.mlp("sgd", 5);
        for (int epoch = 0; epoch < 4; epoch++)
        {
            reference.fit(data);
        }
        final List<INDArray> results = Ranks.run(3, (group) ->
        {
            final MultiLayerTrainable net = new MultiLayerTrainable(Networks.mlp("sgd", 5));
            final DataParallelTrainer trainer = new DataParallelTrainer(group, net, DataParallelOptions.DEFAULT);
            final ShardBatches batches =
                new ShardBatches(table, new InterleavedShards(30, 3, 8), group.rank(), 0, 4);
            new TrainingRun(trainer, RunHooks.NONE, "t", 8).run(batches);
            assertEquals(4, net.iteration());
            return net.params().dup();
        });
        assertTrue(Networks.relativeDifference(results.get(2), reference.params()) <= 1e-5);
    }
}
