package io.slipstream.launcher.experiment;

import io.slipstream.launcher.spec.SpecException;
import io.slipstream.trainer.cluster.KMeansFamily;
import io.slipstream.trainer.cluster.KMeansParams;
import io.slipstream.trainer.forest.RandomForestFamily;
import io.slipstream.trainer.forest.RandomForestParams;
import io.slipstream.trainer.model.ModelFamily;
import io.slipstream.trainer.search.Distribution;
import io.slipstream.trainer.semi.SelfTrainingFamily;
import io.slipstream.trainer.semi.SelfTrainingParams;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The model families a job spec can name, each with what the experiment needs besides the family: whether
 * it learns from labels, a default search space for {@code search.strategy: auto}, a cost estimate for the
 * scheduler, and a parameter check run at load time. {@code self_training} is always present and wraps any
 * supervised family of the same registry. Immutable: {@link #with} returns a larger registry.
 */
public final class ModelFamilies
{
    /** Cost of one fit, in arbitrary units comparable within a family. */
    @FunctionalInterface
    public interface CostModel
    {
        double estimate(Map<String, Object> params, int rows, int features);
    }

    /** Throws IllegalArgumentException naming the bad parameter and what is allowed. */
    @FunctionalInterface
    public interface ParameterCheck
    {
        void check(Map<String, Object> params);
    }

    public record Entry(ModelFamily family, boolean supervised, Map<String, Distribution> autoSpace, CostModel cost,
        ParameterCheck check)
    {
        public Entry
        {
            autoSpace = Collections.unmodifiableMap(new TreeMap<>(autoSpace));
        }
    }

    private static final int LARGE = 1 << 30;

    private final Map<String, Entry> entries;

    private ModelFamilies(final Map<String, Entry> supervisedAndUnsupervised)
    {
        final Map<String, Entry> all = new TreeMap<>(supervisedAndUnsupervised);
        all.put(SelfTrainingFamily.NAME, selfTraining());
        entries = Collections.unmodifiableMap(all);
    }

    /** random_forest, kmeans and self_training. */
    public static ModelFamilies standard()
    {
        final Map<String, Entry> entries = new TreeMap<>();
        entries.put(RandomForestFamily.NAME, new Entry(new RandomForestFamily(), true, Map.of(
            "n_estimators", new Distribution.Range(50, 300, false, true),
            "max_depth", new Distribution.Choice(Arrays.asList(null, 5, 10, 20)),
            "min_samples_split", new Distribution.Range(2, 10, false, true),
            "min_samples_leaf", new Distribution.Range(1, 4, false, true),
            "max_features", new Distribution.Choice(Arrays.asList("sqrt", "log2", null))),
            ModelFamilies::forestCost, params -> RandomForestParams.from(params, LARGE, LARGE)));
        entries.put(KMeansFamily.NAME, new Entry(new KMeansFamily(), false, Map.of(
            "n_clusters", new Distribution.Range(2, 10, false, true)),
            ModelFamilies::kmeansCost, params -> KMeansParams.from(params, LARGE)));
        return new ModelFamilies(entries);
    }

    /** This registry plus {@code name} (replacing an entry of that name). */
    public ModelFamilies with(final String name, final Entry entry)
    {
        if (name.equals(SelfTrainingFamily.NAME))
        {
            throw new IllegalArgumentException(name + " is built in and wraps the other families");
        }
        final Map<String, Entry> copy = new TreeMap<>(entries);
        copy.remove(SelfTrainingFamily.NAME);
        copy.put(name, entry);
        return new ModelFamilies(copy);
    }

    public Set<String> names()
    {
        return entries.keySet();
    }

    /** The entry for {@code name}, or a SpecException at {@code path} listing the families. */
    public Entry entry(final String name, final String path)
    {
        final Entry e = entries.get(name);
        if (e == null)
        {
            throw new SpecException(path, "'" + name + "' is not a model family; use one of " +
                String.join(", ", entries.keySet()));
        }
        return e;
    }

    /** A supervised family by name, for self-training's base. */
    public ModelFamily supervised(final String name)
    {
        final Entry e = entries.get(name);
        if (e == null || !e.supervised() || name.equals(SelfTrainingFamily.NAME))
        {
            throw new IllegalArgumentException("'" + name + "' is not a supervised family self_training can " +
                "wrap; use one of " + String.join(", ", supervisedNames()));
        }
        return e.family();
    }

    private List<String> supervisedNames()
    {
        return entries.entrySet().stream().filter(e -> e.getValue().supervised() &&
            !e.getKey().equals(SelfTrainingFamily.NAME)).map(Map.Entry::getKey).toList();
    }

    private Entry selfTraining()
    {
        final CostModel cost = (params, rows, features) ->
        {
            final SelfTrainingParams p = SelfTrainingParams.from(params);
            final Entry base = entries.get(p.base());
            final double rounds = Math.min(3, p.maxIter());
            return base == null ? rows : base.cost().estimate(p.baseParams(), rows, features) * rounds;
        };
        final ParameterCheck check = params ->
        {
            final SelfTrainingParams p = SelfTrainingParams.from(params);
            supervised(p.base());
            entries.get(p.base()).check().check(p.baseParams());
        };
        return new Entry(new SelfTrainingFamily(this::supervised), true, Map.of(
            "threshold", new Distribution.Choice(List.of(0.6, 0.7, 0.8, 0.9, 0.95))), cost, check);
    }

    private static double forestCost(final Map<String, Object> params, final int rows, final int features)
    {
        final RandomForestParams p = RandomForestParams.from(params, Math.max(rows, 1), Math.max(features, 1));
        final double levels = Math.min(p.tree().maxDepth(), Math.max(1.0, Math.log(rows + 1) / Math.log(2)));
        return p.nEstimators() * (double)rows * levels * p.tree().maxFeatures();
    }

    private static double kmeansCost(final Map<String, Object> params, final int rows, final int features)
    {
        final KMeansParams p = KMeansParams.from(params, Math.max(rows, 1));
        return (double)rows * features * p.clusters() * p.nInit() * Math.min(p.maxIter(), 50);
    }
}
