package io.slipstream.trainer.cluster;

import io.slipstream.trainer.data.Blobs;
import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.metrics.Silhouette;
import io.slipstream.trainer.model.FitContext;
import io.slipstream.trainer.model.RunHooks;
import io.slipstream.trainer.testing.Ranks;
import io.slipstream.trainer.testing.Fits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KMeansTest
{
    private static final Dataset BLOBS = Blobs.generate(600, 4, 3, 0.6, 21);

    @Test
    void findsWellSeparatedBlobs()
    {
        final KMeansModel model = (KMeansModel)Fits.fit(new KMeansFamily(), BLOBS, Map.of("n_clusters", 4),
            new FitContext(Ranks.solo(), 5, RunHooks.NONE));
        final int[] predicted = model.predict(BLOBS);
        // Every blob maps onto exactly one cluster.
        final int[] clusterOfBlob = {-1, -1, -1, -1};
        for (int i = 0; i < BLOBS.size(); i++)
        {
            final int blob = BLOBS.label(i);
            if (clusterOfBlob[blob] < 0)
            {
                clusterOfBlob[blob] = predicted[i];
            }
            assertEquals(clusterOfBlob[blob], predicted[i]);
        }
        assertEquals(model.inertia(), model.inertia(BLOBS), 1e-6 * model.inertia());
        assertTrue(Silhouette.score(KMeansFamily.rowsOf(BLOBS), predicted, 4) > 0.7);
    }

    @Test
    void distributedLloydEqualsSingleProcess() throws Exception
    {
        final double[][] rows = KMeansFamily.rowsOf(BLOBS);
        final double[][] initial = KMeansFamily.plusPlus(rows, 4, new SplittableRandom(3));
        final KMeansModel single = KMeansFamily.lloyd(rows, 0, rows.length, initial, Ranks.solo(), 100, 0.0);
        final List<KMeansModel> ranks = Ranks.run(3, group -> KMeansFamily.lloyd(rows,
            group.blockStart(rows.length, group.rank()), group.blockStart(rows.length, group.rank() + 1), initial,
            group, 100, 0.0));
        for (final KMeansModel m : ranks)
        {
            assertEquals(single.iterations(), m.iterations());
            assertEquals(single.inertia(), m.inertia(), 1e-9 * single.inertia());
            for (int c = 0; c < 4; c++)
            {
                assertArrayEquals(single.centroid(c), m.centroid(c), 1e-9);
            }
            assertArrayEquals(single.predict(BLOBS), m.predict(BLOBS));
        }
    }

    @Test
    void familyFitAcrossRanksEqualsOneRank() throws Exception
    {
        final Map<String, Object> params = Map.of("n_clusters", 3, "n_init", 2);
        final KMeansModel single = (KMeansModel)Fits.fit(new KMeansFamily(), BLOBS, params,
            new FitContext(Ranks.solo(), 8, RunHooks.NONE));
        final List<KMeansModel> ranks = Ranks.run(2, group -> (KMeansModel)Fits.fit(new KMeansFamily(), BLOBS,
            params, new FitContext(group, 8, RunHooks.NONE)));
        for (final KMeansModel m : ranks)
        {
            assertEquals(single.inertia(), m.inertia(), 1e-9 * single.inertia());
            assertArrayEquals(single.predict(BLOBS), m.predict(BLOBS));
        }
    }

    @Test
    void silhouetteMatchesHandComputedValue()
    {
        // Points 0, 1 in cluster 0 and 4 in cluster 1 (1-D). Row 0: a=1, b=4 -> 0.75; row 1: a=1, b=3 -> 2/3;
        // row 2 is alone in its cluster -> 0. Mean = (0.75 + 2/3) / 3.
        final double[][] rows = {{0}, {1}, {4}};
        assertEquals((0.75 + 2.0 / 3) / 3, Silhouette.score(rows, new int[]{0, 0, 1}, 2), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Silhouette.score(rows, new int[]{0, 0, 0}, 1));
    }

    @Test
    void savedModelLoadsBack(@TempDir final Path dir) throws Exception
    {
        final KMeansModel model = (KMeansModel)Fits.fit(new KMeansFamily(), BLOBS, Map.of("n_clusters", 4),
            new FitContext(Ranks.solo(), 5, RunHooks.NONE));
        final Path file = dir.resolve(model.fileName());
        try (OutputStream out = Files.newOutputStream(file))
        {
            model.writeTo(out);
        }
        final KMeansModel loaded = KMeansModel.load(file);
        assertArrayEquals(model.predict(BLOBS), loaded.predict(BLOBS));
        assertEquals(model.inertia(), loaded.inertia());
    }

    @Test
    void badParametersAreRejected()
    {
        final FitContext ctx = new FitContext(Ranks.solo(), 1, RunHooks.NONE);
        assertThrows(IllegalArgumentException.class, () -> Fits.fit(new KMeansFamily(), BLOBS, Map.of("k", 3), ctx));
        assertThrows(IllegalArgumentException.class, () -> Fits.fit(new KMeansFamily(), BLOBS, Map.of("n_clusters", 0), ctx));
        assertThrows(IllegalArgumentException.class, () -> Fits.fit(new KMeansFamily(), BLOBS, Map.of("tol", "x"), ctx));
    }
}
