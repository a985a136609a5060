package io.slipstream.trainer.cv;

import io.slipstream.comm.Communicator;
import io.slipstream.trainer.cluster.KMeansFamily;
import io.slipstream.trainer.data.Blobs;
import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.data.Fold;
import io.slipstream.trainer.data.Iris;
import io.slipstream.trainer.data.LabelMask;
import io.slipstream.trainer.data.StratifiedKFold;
import io.slipstream.trainer.data.TrainTestSplit;
import io.slipstream.trainer.forest.RandomForestFamily;
import io.slipstream.trainer.model.FitId;
import io.slipstream.trainer.model.RunHooks;
import io.slipstream.trainer.search.Search;
import io.slipstream.trainer.semi.SelfTrainingFamily;
import io.slipstream.trainer.tasks.ExecutionMode;
import io.slipstream.trainer.tasks.RankGroups;
import io.slipstream.trainer.tasks.SchedulingPolicy;
import io.slipstream.trainer.testing.Ranks;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CrossValidatedSearchTest
{
    private static final Dataset IRIS = Iris.load();

    private static SearchSetup<?> forestSetup(final Dataset data, final Map<String, List<Object>> grid, final long seed)
    {
        final TrainTestSplit split = TrainTestSplit.stratified(data, 0.2, 42);
        final Dataset train = data.subset(split.train());
        final Fold[] folds = StratifiedKFold.split(StratifiedKFold.labelsOf(train), 3, 5, false, 0);
        final List<Map<String, Object>> settings = new Search.Grid(grid).settings();
        return SearchSetup.of(new RandomForestFamily(), settings, train, data.subset(split.test()), folds,
            Scorers.byName("accuracy"), seed, new int[settings.size()], null, RunHooks.NONE);
    }

    private static SearchOutcome runOn(final int size, final ExecutionMode mode, final int groupSize,
        final SearchSetup<?> setup) throws Exception
    {
        final List<SearchOutcome> all = Ranks.run(size, (Communicator world) ->
        {
            try (RankGroups groups = RankGroups.create(world, mode, groupSize))
            {
                return CrossValidatedSearch.run(setup, world, groups, SchedulingPolicy.DEFAULT);
            }
        });
        for (final SearchOutcome o : all)
        {
            assertEquals(all.get(0).bestIndex(), o.bestIndex());
            assertEquals(all.get(0).testMetrics(), o.testMetrics());
        }
        return all.get(0);
    }

    @Test
    void serialParallelAndHybridGiveTheSameResults() throws Exception
    {
        final SearchSetup<?> setup = forestSetup(IRIS, Map.of("n_estimators", List.of(10, 30),
            "max_depth", Arrays.asList(null, 2), "min_samples_leaf", List.of(1, 4)), 7);
        final SearchOutcome serial = runOn(1, ExecutionMode.SERIAL, 1, setup);
        final SearchOutcome serialOnThree = runOn(3, ExecutionMode.SERIAL, 1, setup);
        final SearchOutcome parallel = runOn(3, ExecutionMode.PARALLEL, 1, setup);
        final SearchOutcome hybrid = runOn(3, ExecutionMode.HYBRID, 2, setup);
        for (final SearchOutcome o : List.of(serialOnThree, parallel, hybrid))
        {
            for (int s = 0; s < serial.table().settingCount(); s++)
            {
                for (int f = 0; f < 5; f++)
                {
                    assertEquals(serial.table().score(s, f), o.table().score(s, f));
                }
                assertEquals(serial.table().rank(s), o.table().rank(s));
            }
            assertEquals(serial.bestIndex(), o.bestIndex());
            assertEquals(serial.testMetrics(), o.testMetrics());
            assertArrayEquals(serial.confusion().toLongArray(), o.confusion().toLongArray());
        }
        assertEquals(8 * 5, serial.fits());
        assertTrue(serial.testMetrics().get("accuracy") >= 0.9, serial.testMetrics().toString());
        assertEquals(serial.table().meanScore(serial.bestIndex()), serial.bestScore());
        assertEquals(1, serial.table().rank(serial.bestIndex()));
    }

    @Test
    void kmeansSearchPicksTheTrueClusterCountBySilhouette() throws Exception
    {
        final Dataset blobs = Blobs.generate(300, 3, 2, 0.5, 4);
        final TrainTestSplit split = TrainTestSplit.stratified(blobs, 0.2, 1);
        final Dataset train = blobs.subset(split.train());
        final Fold[] folds = StratifiedKFold.split(StratifiedKFold.labelsOf(train), 3, 3, true, 2);
        final List<Map<String, Object>> settings = new Search.Grid(Map.of("n_clusters", List.of(2, 3, 4, 5)))
            .settings();
        final SearchSetup<?> setup = SearchSetup.of(new KMeansFamily(), settings, train, blobs.subset(split.test()),
            folds, Scorers.byName("silhouette"), 3, new int[4], null, RunHooks.NONE);
        final SearchOutcome outcome = runOn(2, ExecutionMode.HYBRID, 2, setup);
        assertEquals(Map.of("n_clusters", 3), outcome.bestParams());
        assertTrue(outcome.testMetrics().containsKey("inertia"));
        assertTrue(outcome.testMetrics().get("silhouette") > 0.6);
    }

    @Test
    void selfTrainingReportsAgainstItsLabeledOnlyBaseline() throws Exception
    {
        final TrainTestSplit split = TrainTestSplit.stratified(IRIS, 0.2, 42);
        final Dataset train = LabelMask.keepFraction(IRIS.subset(split.train()), 0.1, 5);
        final Fold[] folds = StratifiedKFold.split(StratifiedKFold.labelsOf(train), 3, 3, true, 2);
        final RandomForestFamily forest = new RandomForestFamily();
        final SelfTrainingFamily family = new SelfTrainingFamily(name -> forest);
        final List<Map<String, Object>> settings = new Search.Grid(Map.of("threshold", List.of(0.7, 0.9),
            "base.n_estimators", List.of(30))).settings();
        final SearchSetup<?> setup = SearchSetup.of(family, settings, train, IRIS.subset(split.test()), folds,
            Scorers.byName("accuracy"), 11, new int[2], null, RunHooks.NONE);
        final SearchOutcome outcome = runOn(2, ExecutionMode.PARALLEL, 1, setup);
        final Map<String, Double> m = outcome.testMetrics();
        assertTrue(m.get("pseudo_labeled") > 0, m.toString());
        assertTrue(m.containsKey("baseline_accuracy"), m.toString());
        assertTrue(m.get("accuracy") >= 0.8, m.toString());
    }

    @Test
    void everyFitIsAnnouncedToTheHooksOfTheRanksThatRunIt() throws Exception
    {
        final List<FitId> started = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        final RunHooks hooks = new RunHooks()
        {
            @Override
            public void fitStarting(final FitId fit)
            {
                started.add(fit);
            }
        };
        final TrainTestSplit split = TrainTestSplit.stratified(IRIS, 0.2, 42);
        final Dataset train = IRIS.subset(split.train());
        final Fold[] folds = StratifiedKFold.split(StratifiedKFold.labelsOf(train), 3, 3, false, 0);
        final List<Map<String, Object>> settings = new Search.Grid(Map.of("n_estimators", List.of(5, 10))).settings();
        final SearchSetup<?> setup = SearchSetup.of(new RandomForestFamily(), settings, train, IRIS.subset(split.test()),
            folds, Scorers.byName("accuracy"), 3, new int[2], null, hooks);
        final SearchOutcome outcome = runOn(2, ExecutionMode.PARALLEL, 1, setup);
        final Set<FitId> expected = new HashSet<>();
        for (int s = 0; s < 2; s++)
        {
            for (int f = 0; f < 3; f++)
            {
                expected.add(FitId.cv(s, 2, f, 3));
            }
        }
        expected.add(FitId.refitOf(outcome.bestIndex(), 2));
        assertEquals(7, started.size(), "each fit on the one rank of its group, once: " + started);
        assertEquals(expected, new HashSet<>(started));
    }
}
