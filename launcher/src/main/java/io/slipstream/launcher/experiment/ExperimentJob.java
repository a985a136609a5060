package io.slipstream.launcher.experiment;

import io.slipstream.comm.Communicator;
import io.slipstream.launcher.job.Job;
import io.slipstream.launcher.job.JobContext;
import io.slipstream.launcher.spec.SpecException;
import io.slipstream.launcher.spec.SpecNode;
import io.slipstream.trainer.cv.Baseline;
import io.slipstream.trainer.cv.CrossValidatedSearch;
import io.slipstream.trainer.cv.Scorer;
import io.slipstream.trainer.cv.Scorers;
import io.slipstream.trainer.cv.SearchOutcome;
import io.slipstream.trainer.cv.SearchSetup;
import io.slipstream.trainer.data.DataException;
import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.data.Fold;
import io.slipstream.trainer.data.LabelMask;
import io.slipstream.trainer.data.Seeds;
import io.slipstream.trainer.data.StratifiedKFold;
import io.slipstream.trainer.data.TrainTestSplit;
import io.slipstream.trainer.report.ExperimentSummary;
import io.slipstream.trainer.search.Settings;
import io.slipstream.trainer.semi.SelfTrainingFamily;
import io.slipstream.trainer.semi.SelfTrainingParams;
import io.slipstream.trainer.tasks.ExecutionMode;
import io.slipstream.trainer.tasks.RankGroups;
import io.slipstream.trainer.tasks.SchedulingPolicy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An experiment: a cross-validated search of one model family on one data set, the best setting refit on
 * the whole training set, evaluated on the held-out test set and saved. Every rank runs it; the fits are
 * spread over the ranks by the trainer's wave scheduler; rank 0 writes the outputs into the run directory
 * and prints the summary.
 *
 * <pre>
 * name: iris-random-forest-grid
 * data:      {source: iris}                      # see DataSection; keep_labels for semi-supervised runs
 * split:     {test_fraction: 0.2, seed: 42}      # stratified; seed defaults to the job seed
 * sharding:  {strategy: ordered}                 # random | ordered | partitioned (+ column) for data-parallel fits
 * model:     {family: random_forest, params: {max_features: sqrt}}   # params: fixed for every setting
 * search:    {strategy: grid, grid: {...}}       # see SearchSection
 * cv:        {folds: 5, shuffle: false, seed: 0} # stratified k-fold
 * selection: {metric: accuracy}                  # default accuracy (supervised) or silhouette
 * execution: {mode: parallel, group_size: 2}     # serial | parallel | hybrid (group_size for hybrid)
 * scheduling: {policy: largest_cost_first, retries: 0,
 *              priorities: [{match: {n_estimators: 300}, priority: 1}]}
 * training: {...}    checkpoint: {...}           # DL4J families' sections, passed through untouched
 * output:    {save_model: true, report: true}
 * </pre>
 */
public final class ExperimentJob implements Job
{
    public static final Set<String> SECTIONS = Set.of("data", "split", "sharding", "model", "search", "cv",
        "selection", "execution", "scheduling", "training", "checkpoint", "output");

    private final String name;
    private final SpecNode root;
    private final Dataset data;
    private final double keepLabels;
    private final double testFraction;
    private final Long splitSeed;
    private final String shardingStrategy;
    private final String shardingColumn;
    private final String familyName;
    private final ModelFamilies families;
    private final ModelFamilies.Entry family;
    private final Map<String, Object> fixedParams;
    private final SearchSection search;
    private final int folds;
    private final boolean shuffle;
    private final Long cvSeed;
    private final Scorer scorer;
    private final ExecutionMode mode;
    private final int groupSize;
    private final SchedulingPolicy policy;
    private final List<PriorityRule> priorities;
    private final boolean saveModel;
    private final boolean report;

    private record PriorityRule(Map<String, Object> match, int priority)
    {
    }

    private ExperimentJob(final Builder b)
    {
        name = b.name;
        root = b.root;
        data = b.data;
        keepLabels = b.keepLabels;
        testFraction = b.testFraction;
        splitSeed = b.splitSeed;
        shardingStrategy = b.shardingStrategy;
        shardingColumn = b.shardingColumn;
        familyName = b.familyName;
        families = b.families;
        family = b.family;
        fixedParams = b.fixedParams;
        search = b.search;
        folds = b.folds;
        shuffle = b.shuffle;
        cvSeed = b.cvSeed;
        scorer = b.scorer;
        mode = b.mode;
        groupSize = b.groupSize;
        policy = b.policy;
        priorities = b.priorities;
        saveModel = b.saveModel;
        report = b.report;
    }

    /** Validates {@link #SECTIONS} of {@code root} with the standard families and loads the data. */
    public static ExperimentJob fromSpec(final SpecNode root)
    {
        return fromSpec(root, ModelFamilies.standard());
    }

    /** As {@link #fromSpec(SpecNode)} with another registry (e.g. one that adds the DL4J families). */
    public static ExperimentJob fromSpec(final SpecNode root, final ModelFamilies families)
    {
        final Builder b = new Builder();
        b.root = root;
        b.families = families;
        b.name = root.has("name") && root.raw("name") instanceof String ? (String)root.raw("name") : "experiment";
        if (!root.has("data"))
        {
            throw new SpecException(root.pathOf("data"), "is missing; say where the rows come from, e.g. " +
                "data: {source: iris}");
        }
        if (!root.has("model"))
        {
            throw new SpecException(root.pathOf("model"), "is missing; name a family, e.g. model: {family: " +
                "random_forest}");
        }
        for (final String section : SECTIONS)
        {
            if (root.has(section) && !(root.raw(section) instanceof Map))
            {
                throw new SpecException(root.pathOf(section), "expected a mapping, found " +
                    SpecNode.describe(root.raw(section)));
            }
        }

        final SpecNode dataNode = root.child("data");
        b.data = DataSection.load(dataNode);
        b.keepLabels = DataSection.keepLabels(dataNode);

        final SpecNode split = root.childOrEmpty("split").allowOnly("test_fraction", "seed");
        b.testFraction = split.decimal("test_fraction", 0.2, 0.0, 1.0);
        if (!(b.testFraction > 0.0 && b.testFraction < 1.0))
        {
            throw split.error("test_fraction", b.testFraction + " leaves no training or no test rows; allowed " +
                "strictly between 0 and 1");
        }
        b.splitSeed = split.has("seed") ? split.integer("seed") : null;

        final SpecNode sharding = root.childOrEmpty("sharding").allowOnly("strategy", "column");
        b.shardingStrategy = sharding.choice("strategy", "ordered", "random", "ordered", "partitioned");
        b.shardingColumn = sharding.has("column") ? sharding.string("column") : null;
        if (b.shardingStrategy.equals("partitioned") != (b.shardingColumn != null))
        {
            throw sharding.error("column", b.shardingStrategy.equals("partitioned") ?
                "is missing; partitioned sharding needs the feature column to partition by" :
                "is only used with strategy: partitioned");
        }
        if (b.shardingColumn != null && !Arrays.asList(b.data.featureNames()).contains(b.shardingColumn))
        {
            throw sharding.error("column", "'" + b.shardingColumn + "' is not a feature; use one of " +
                String.join(", ", b.data.featureNames()));
        }

        final SpecNode model = root.child("model").allowOnly("family", "params");
        b.familyName = model.string("family");
        b.family = families.entry(b.familyName, model.pathOf("family"));
        b.fixedParams = new LinkedHashMap<>();
        final SpecNode params = model.childOrEmpty("params");
        for (final String key : params.keys())
        {
            b.fixedParams.put(key, SearchSection.scalar(params.pathOf(key), params.raw(key)));
        }

        b.search = SearchSection.parse(root.childOrEmpty("search"), b.family);
        final List<Map<String, Object>> settings = settings(b.search, b.fixedParams, 0, root.pathOf("search"));
        for (int i = 0; i < settings.size(); i++)
        {
            try
            {
                b.family.check().check(settings.get(i));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new SpecException(root.pathOf("search"), "setting " + Settings.text(settings.get(i)) + ": " +
                    ex.getMessage());
            }
        }

        final SpecNode cv = root.childOrEmpty("cv").allowOnly("folds", "shuffle", "seed");
        b.folds = (int)cv.integer("folds", 5, 2, 1000);
        b.shuffle = cv.bool("shuffle", false);
        b.cvSeed = cv.has("seed") ? cv.integer("seed") : null;
        checkSplits(b, root, cv);

        final SpecNode selection = root.childOrEmpty("selection").allowOnly("metric");
        final String metric = selection.choice("metric", b.family.supervised() ? "accuracy" : "silhouette",
            Scorers.NAMES.toArray(new String[0]));
        b.scorer = Scorers.byName(metric);
        if (b.scorer.needsLabels() && !b.family.supervised())
        {
            throw selection.error("metric", "'" + metric + "' compares predictions with labels but " + b.familyName +
                " is unsupervised; use silhouette or neg_inertia");
        }
        if (metric.equals("neg_inertia") && !b.familyName.equals("kmeans"))
        {
            throw selection.error("metric", "neg_inertia applies to kmeans only; use one of " +
                String.join(", ", Scorers.NAMES));
        }

        final SpecNode execution = root.childOrEmpty("execution").allowOnly("mode", "group_size");
        b.mode = ExecutionMode.valueOf(execution.choice("mode", "parallel", "serial", "parallel", "hybrid")
            .toUpperCase(Locale.ROOT));
        if (execution.has("group_size") && b.mode != ExecutionMode.HYBRID)
        {
            throw execution.error("group_size", "is only used with mode: hybrid (serial runs on rank 0, parallel " +
                "uses groups of one)");
        }
        b.groupSize = (int)execution.integer("group_size", 2, 1, 1_000_000);

        final SpecNode scheduling = root.childOrEmpty("scheduling").allowOnly("policy", "retries", "priorities");
        b.policy = new SchedulingPolicy(scheduling.choice("policy", "largest_cost_first", "largest_cost_first",
            "in_order").equals("largest_cost_first"), (int)scheduling.integer("retries", 0, 0, 100));
        b.priorities = priorities(scheduling);

        root.childOrEmpty("training");
        root.childOrEmpty("checkpoint");

        final SpecNode output = root.childOrEmpty("output").allowOnly("save_model", "report");
        b.saveModel = output.bool("save_model", true);
        b.report = output.bool("report", true);
        return new ExperimentJob(b);
    }

    /** The whole spec, for sections other modules read (training, checkpoint). */
    public SpecNode spec()
    {
        return root;
    }

    public String familyName()
    {
        return familyName;
    }

    public ExecutionMode mode()
    {
        return mode;
    }

    /** {@code random}, {@code ordered} or {@code partitioned}. */
    public String shardingStrategy()
    {
        return shardingStrategy;
    }

    /** The feature partitioned sharding groups by, or null. */
    public String shardingColumn()
    {
        return shardingColumn;
    }

    @Override
    public int run(final JobContext context) throws Exception
    {
        final long start = System.nanoTime();
        final Communicator world = context.world();
        if (mode == ExecutionMode.HYBRID && groupSize > world.size())
        {
            throw new SpecException("execution.group_size", groupSize + " is larger than the " + world.size() +
                " ranks of this job; use 1.." + world.size() + " or start more ranks");
        }
        final long seed = context.seed();
        final long splitWith = splitSeed != null ? splitSeed : seed;
        final TrainTestSplit split = TrainTestSplit.stratified(data, testFraction, splitWith);
        Dataset train = data.subset(split.train());
        if (keepLabels < 1.0)
        {
            train = LabelMask.keepFraction(train, keepLabels, Seeds.derive(splitWith, 1));
        }
        final Dataset test = data.subset(split.test());
        final Fold[] foldRows = StratifiedKFold.split(StratifiedKFold.labelsOf(train), train.numClasses(), folds,
            shuffle, cvSeed != null ? cvSeed : seed);
        final List<Map<String, Object>> settings = settings(search, fixedParams, seed, "search");
        final double[] cost = new double[settings.size()];
        final int[] priority = new int[settings.size()];
        for (int s = 0; s < cost.length; s++)
        {
            cost[s] = family.cost().estimate(settings.get(s), train.size(), train.numFeatures());
            priority[s] = priorityOf(settings.get(s));
        }
        final SearchSetup setup = new SearchSetup(family.family(), settings, train, test, foldRows, scorer, seed, cost,
            priority, saveModel ? context.runDir() : null, context.hooks(), baseline());

        final SearchOutcome outcome;
        final int groupCount;
        try (RankGroups groups = RankGroups.create(world, mode, groupSize))
        {
            groupCount = groups.groupCount();
            outcome = CrossValidatedSearch.run(setup, world, groups, policy);
        }
        if (world.rank() == 0)
        {
            final ExperimentSummary summary = new ExperimentSummary(name, familyName, search.strategy(),
                scorer.name(), mode.name().toLowerCase(Locale.ROOT), groupCount, world.size(), data.classNames(),
                outcome, (System.nanoTime() - start) / 1e9);
            if (report)
            {
                summary.write(context.runDir());
            }
            summary.print(context.out(), report ? context.runDir() : null);
        }
        return 0;
    }

    private Baseline baseline()
    {
        if (!familyName.equals(SelfTrainingFamily.NAME))
        {
            return null;
        }
        return (best, labeled, context) ->
        {
            final SelfTrainingParams p = SelfTrainingParams.from(best);
            return families.supervised(p.base()).fit(labeled, p.baseParams(), context);
        };
    }

    private int priorityOf(final Map<String, Object> setting)
    {
        int best = 0;
        for (final PriorityRule rule : priorities)
        {
            boolean matches = true;
            for (final Map.Entry<String, Object> e : rule.match().entrySet())
            {
                matches &= setting.containsKey(e.getKey()) && java.util.Objects.equals(setting.get(e.getKey()),
                    e.getValue());
            }
            if (matches)
            {
                best = Math.max(best, rule.priority());
            }
        }
        return best;
    }

    private static List<Map<String, Object>> settings(final SearchSection search, final Map<String, Object> fixed,
        final long seed, final String path)
    {
        final List<Map<String, Object>> out = new ArrayList<>();
        for (final Map<String, Object> s : search.search(seed).settings())
        {
            try
            {
                out.add(Settings.merge(fixed, s));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new SpecException(path, ex.getMessage());
            }
        }
        return out;
    }

    /** Fails at load time when the split or the folds cannot be made (counts do not depend on the seeds). */
    private static void checkSplits(final Builder b, final SpecNode root, final SpecNode cv)
    {
        final TrainTestSplit split;
        try
        {
            split = TrainTestSplit.stratified(b.data, b.testFraction, 0);
        }
        catch (final DataException ex)
        {
            throw new SpecException(root.pathOf("split") + ".test_fraction", ex.getMessage());
        }
        Dataset train = b.data.subset(split.train());
        if (b.keepLabels < 1.0)
        {
            train = LabelMask.keepFraction(train, b.keepLabels, 0);
        }
        try
        {
            StratifiedKFold.split(StratifiedKFold.labelsOf(train), train.numClasses(), b.folds, false, 0);
        }
        catch (final DataException ex)
        {
            throw new SpecException(cv.pathOf("folds"), b.folds + " is impossible here: " + ex.getMessage() +
                " (counted in the training part" + (b.keepLabels < 1.0 ? ", labeled rows" : "") + ")");
        }
    }

    private static List<PriorityRule> priorities(final SpecNode scheduling)
    {
        final List<PriorityRule> rules = new ArrayList<>();
        if (!scheduling.has("priorities"))
        {
            return rules;
        }
        final List<Object> raw = scheduling.list("priorities");
        for (int i = 0; i < raw.size(); i++)
        {
            final String path = scheduling.pathOf("priorities") + "[" + i + "]";
            if (!(raw.get(i) instanceof Map))
            {
                throw new SpecException(path, "expected {match: {param: value}, priority: N}, found " +
                    SpecNode.describe(raw.get(i)));
            }
            final SpecNode rule = SpecNode.of(path, SearchSection.stringKeys(path, (Map<?, ?>)raw.get(i)))
                .allowOnly("match", "priority");
            final SpecNode match = rule.child("match");
            final Map<String, Object> values = new LinkedHashMap<>();
            for (final String key : match.keys())
            {
                values.put(key, SearchSection.scalar(match.pathOf(key), match.raw(key)));
            }
            rules.add(new PriorityRule(values, (int)rule.integer("priority", 0, -1_000_000, 1_000_000)));
        }
        return rules;
    }

    private static final class Builder
    {
        String name;
        SpecNode root;
        Dataset data;
        double keepLabels;
        double testFraction;
        Long splitSeed;
        String shardingStrategy;
        String shardingColumn;
        String familyName;
        ModelFamilies families;
        ModelFamilies.Entry family;
        Map<String, Object> fixedParams;
        SearchSection search;
        int folds;
        boolean shuffle;
        Long cvSeed;
        Scorer scorer;
        ExecutionMode mode;
        int groupSize;
        SchedulingPolicy policy;
        List<PriorityRule> priorities;
        boolean saveModel;
        boolean report;
    }
}
