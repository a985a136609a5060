package io.slipstream.trainer.metrics;

import io.slipstream.comm.ThreadRanks;
import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.data.Iris;
import io.slipstream.trainer.forest.RandomForestFamily;
import io.slipstream.trainer.model.FitContext;
import io.slipstream.trainer.model.Model;
import io.slipstream.trainer.model.RunHooks;
import io.slipstream.trainer.testing.Fits;
import io.slipstream.trainer.testing.Ranks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Timeout(60)
class ModelEvaluationTest
{
    @Test
    void aGroupCountsWhatOneProcessCountsAndSkipsUnlabelledRows()
    {
        final Dataset iris = Iris.load();
        final Model forest = Fits.fit(new RandomForestFamily(), iris, Map.of("n_estimators", 5, "max_depth", 2),
            new FitContext(Ranks.solo(), 1, RunHooks.NONE));
        final int[] labels = new int[iris.size()];
        for (int i = 0; i < labels.length; i++)
        {
            labels[i] = i % 3 == 0 ? Dataset.UNLABELED : iris.label(i);
        }
        final Dataset partly = iris.withLabels(labels);
        final ConfusionMatrix whole = ModelEvaluation.confusion(forest, partly);
        assertEquals(100, whole.total());
        final int[] predicted = forest.predict(iris);
        long right = 0;
        for (int i = 0; i < labels.length; i++)
        {
            right += labels[i] != Dataset.UNLABELED && predicted[i] == labels[i] ? 1 : 0;
        }
        assertEquals(right / 100.0, new ClassificationMetrics(whole).accuracy(), 1e-12);
        for (final int ranks : new int[]{2, 3, 7})
        {
            final ConfusionMatrix[] seen = new ConfusionMatrix[ranks];
            ThreadRanks.run(ranks, (comm) -> seen[comm.rank()] = ModelEvaluation.confusion(forest, partly, comm));
            for (final ConfusionMatrix m : seen)
            {
                assertEquals(whole, m);
            }
        }
    }
}
