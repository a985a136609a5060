package io.slipstream.trainer.cv;

import io.slipstream.trainer.cluster.KMeansFamily;
import io.slipstream.trainer.cluster.KMeansModel;
import io.slipstream.trainer.data.Blobs;
import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.data.Iris;
import io.slipstream.trainer.forest.RandomForestFamily;
import io.slipstream.trainer.metrics.ModelEvaluation;
import io.slipstream.trainer.model.FitContext;
import io.slipstream.trainer.model.Model;
import io.slipstream.trainer.model.RunHooks;
import io.slipstream.trainer.testing.Ranks;
import io.slipstream.trainer.testing.Fits;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScorersTest
{
    private static final FitContext SOLO = new FitContext(Ranks.solo(), 1, RunHooks.NONE);

    @Test
    void classificationScorersSkipUnlabeledRows()
    {
        final Dataset iris = Iris.load();
        final Model forest = Fits.fit(new RandomForestFamily(), iris, Map.of("n_estimators", 20), SOLO);
        final double full = Scorers.byName("accuracy").score(forest, iris);
        final int[] labels = new int[iris.size()];
        for (int i = 0; i < labels.length; i++)
        {
            labels[i] = i % 2 == 0 ? iris.label(i) : Dataset.UNLABELED;
        }
        final double half = Scorers.byName("accuracy").score(forest, iris.withLabels(labels));
        assertTrue(full > 0.95 && half > 0.95);
        assertEquals(75, ModelEvaluation.confusion(forest, iris.withLabels(labels)).total());
        assertThrows(IllegalArgumentException.class, () -> Scorers.byName("auc"));
        assertThrows(IllegalArgumentException.class, () -> Scorers.byName("neg_inertia").score(forest, iris));
    }

    @Test
    void silhouetteIsSampledOnLargeSetsAndStaysDeterministic()
    {
        final Dataset blobs = Blobs.generate(20_000, 3, 2, 0.5, 9);
        final KMeansModel model = (KMeansModel)Fits.fit(new KMeansFamily(), blobs, Map.of("n_clusters", 3), SOLO);
        final double score = Scorers.silhouette(model, blobs);
        assertEquals(score, Scorers.silhouette(model, blobs));
        assertTrue(score > 0.7, "silhouette " + score);
        assertEquals(-model.inertia(blobs), Scorers.byName("neg_inertia").score(model, blobs));
    }
}
