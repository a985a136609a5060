package io.slipstream.launcher.experiment;

import io.slipstream.comm.Communicator;
import io.slipstream.launcher.job.Job;
import io.slipstream.launcher.job.JobContext;
import io.slipstream.launcher.spec.SpecException;
import io.slipstream.launcher.spec.SpecNode;
import io.slipstream.trainer.cv.CrossValidatedSearch;
import io.slipstream.trainer.cv.ModelStore;
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
import io.slipstream.trainer.report.DataFacts;
import io.slipstream.trainer.report.ExperimentSummary;
import io.slipstream.trainer.report.LearningCurves;
import io.slipstream.trainer.report.OwnerOnlyFile;
import io.slipstream.trainer.report.RunFacts;
import io.slipstream.trainer.search.Settings;
import io.slipstream.trainer.model.ClustererFamily;
import io.slipstream.trainer.model.ConfiguredFamily;
import io.slipstream.trainer.model.DataShape;
import io.slipstream.trainer.onnx.OnnxExportable;
import io.slipstream.trainer.tasks.ExecutionMode;
import io.slipstream.trainer.tasks.RankGroups;
import io.slipstream.trainer.tasks.SearchStoppedException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
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
 * <p>Finished fits are journaled in the run directory ({@value #JOURNAL}); when the run's hooks ask to stop
 * (SIGUSR1/SIGTERM) every rank stops at the next wave boundary and the job returns
 * {@value #STOPPED}; running it again with the same run directory resumes from the journal, which is deleted
 * once the job completes.
 *
 * <pre>
 * name: iris-random-forest-grid
 * data:      {source: iris}                      # DataSection; keep_labels for semi-supervised runs;
 *                                                # csv: test: FILE holds the test rows instead of a split
 * split:     {test_fraction: 0.2, seed: 42}      # SplitSection: stratified; seed defaults to the job seed
 * sharding:  {strategy: ordered}                 # ShardingSection: for data-parallel fits
 * model:     {family: random_forest, params: {max_features: sqrt}}   # ModelSection: params fixed for all;
 *            {family: dl4j, config: net.json}    # a family's files (dl4j: config or init), beside the spec
 * search:    {strategy: grid, grid: {...}}       # SearchSection: manual | grid | random | auto
 * cv:        {folds: 5, shuffle: false, seed: 0} # CvSection: stratified k-fold; cv: none (folds: 0) fits the
 *                                                # one setting once on the training set
 * selection: {metric: accuracy}                  # default accuracy (supervised) or silhouette
 * execution: {mode: parallel}                    # ExecutionSection: serial | parallel | hybrid + group_size
 * scheduling: {policy: largest_cost_first, retries: 0, tasks_per_wave: 16,
 *              priorities: [{match: {n_estimators: 300}, priority: 1}]}   # SchedulingSection
 * training: {...}    checkpoint: {...}           # DL4J families' sections, passed through untouched
 * output:    {save_model: true, report: true}    # OutputSection
 * </pre>
 */
public final class ExperimentJob implements Job
{
    public static final String JOURNAL = "search_journal.bin";
    /** The launcher's exit code for "checkpointed and stopped". */
    public static final int STOPPED = 3;

    public static final Set<String> SECTIONS = Set.of("data", "split", "sharding", "model", "search", "cv",
        "selection", "execution", "scheduling", "training", "checkpoint", "output");

    private final String name;
    private final SpecNode root;
    private final Dataset data;
    /** data.test's rows, or null when the split holds out the test rows. */
    private final Dataset heldOut;
    private final double keepLabels;
    private final SplitSection split;
    private final ShardingSection sharding;
    private final ModelSection model;
    private final SearchSection search;
    private final CvSection cv;
    private final Scorer scorer;
    private final ExecutionSection execution;
    private final SchedulingSection scheduling;
    private final OutputSection output;
    private final double loadSeconds;

    private ExperimentJob(final SpecNode root, final ModelFamilies families)
    {
        this.root = root;
        name = root.has("name") && root.raw("name") instanceof String ? (String)root.raw("name") : "experiment";
        requireSections(root);
        final SpecNode dataNode = root.child("data");
        final long loadStart = System.nanoTime();
        data = DataSection.load(dataNode);
        keepLabels = DataSection.keepLabels(dataNode);
        heldOut = DataSection.test(dataNode, data);
        loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        if (heldOut != null && root.has("split"))
        {
            throw new SpecException(root.pathOf("split"), "data.test already holds the test rows; remove the split " +
                "section (it holds out part of data.path instead)");
        }
        split = SplitSection.parse(root.childOrEmpty("split"));
        sharding = ShardingSection.parse(root.childOrEmpty("sharding"), data.featureNames());
        final ModelSection named = ModelSection.parse(root.child("model"), families);
        if (named.entry().supervised() && data.numClasses() == 0)
        {
            throw new SpecException(root.pathOf("data"), "has no label column but " + named.family() +
                " learns from labels; name the column with label or label_index");
        }
        if (named.entry().supervised() && classesPresent(data) < 2)
        {
            throw new SpecException(root.pathOf("data"), "has labeled rows of " + classesPresent(data) +
                " class(es) only, but " + named.family() + " learns to tell classes apart; use data with at least " +
                "two classes");
        }
        model = named.configured(root.child("model"), DataShape.of(data));
        search = SearchSection.parse(root.childOrEmpty("search"), model.entry());
        // The fixed parameters alone first, so their mistakes are reported at model.params, where they are.
        checkSettings(List.of(model.fixed()), root.pathOf("model") + ".params");
        checkSettings(settings(0), root.pathOf("search"));
        cv = CvSection.parse(root, "cv");
        if (cv.none() && settings(0).size() != 1)
        {
            throw new SpecException(root.pathOf("cv"), "none fits one setting, but the search has " +
                settings(0).size() + "; cross-validate to choose between them (cv.folds 2 or more), or search one " +
                "setting");
        }
        checkFolds();
        scorer = selection(root.childOrEmpty("selection"));
        execution = ExecutionSection.parse(root.childOrEmpty("execution"));
        scheduling = SchedulingSection.parse(root.childOrEmpty("scheduling"));
        root.childOrEmpty("training");
        root.childOrEmpty("checkpoint");
        output = OutputSection.parse(root.childOrEmpty("output"));
    }

    /** Validates {@link #SECTIONS} of {@code root} with the standard families and loads the data. */
    public static ExperimentJob fromSpec(final SpecNode root)
    {
        return fromSpec(root, ModelFamilies.standard());
    }

    /** As {@link #fromSpec(SpecNode)} with another registry (e.g. one that adds the DL4J families). */
    public static ExperimentJob fromSpec(final SpecNode root, final ModelFamilies families)
    {
        return new ExperimentJob(root, families);
    }

    /** The whole spec, for sections other modules read (training, checkpoint). */
    public SpecNode spec()
    {
        return root;
    }

    public String familyName()
    {
        return model.family();
    }

    public ExecutionMode mode()
    {
        return execution.mode();
    }

    /** How data-parallel fits should shard their group's rows. */
    public ShardingSection sharding()
    {
        return sharding;
    }

    @Override
    public int run(final JobContext context) throws Exception
    {
        final long start = System.nanoTime();
        final Communicator world = context.world();
        if (execution.mode() == ExecutionMode.HYBRID && execution.groupSize() > world.size())
        {
            throw new SpecException("execution.group_size", execution.groupSize() + " is larger than the " +
                world.size() + " ranks of this job; use 1.." + world.size() + " or start more ranks");
        }
        final long seed = context.seed();
        final long splitSeed = split.seedOr(seed);
        final Dataset[] parts = trainAndTest(splitSeed);
        Dataset train = parts[0];
        if (keepLabels < 1.0)
        {
            train = LabelMask.keepFraction(train, keepLabels, Seeds.derive(splitSeed, 1));
        }
        final Dataset test = parts[1];
        final Fold[] folds = cv.none() ? new Fold[0] : StratifiedKFold.split(StratifiedKFold.labelsOf(train),
            train.numClasses(), cv.folds(), cv.shuffle(), cv.seedOr(seed));
        final List<Map<String, Object>> settings = settings(seed);
        final int[] priority = new int[settings.size()];
        for (int s = 0; s < priority.length; s++)
        {
            priority[s] = scheduling.priorityOf(settings.get(s));
        }
        final SearchSetup<?> setup;
        try
        {
            setup = SearchSetup.of(model.entry(), settings, train, test, folds, scorer, seed, priority,
                output.saveModel() ? modelStore(context.runDir()) : null, context.hooks());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new SpecException(root.pathOf("search"), ex.getMessage());
        }

        final FileTaskJournal journal = new FileTaskJournal(context.runDir().resolve(JOURNAL), fingerprint(setup));
        final SearchOutcome outcome;
        final int groupCount;
        final long searchStart = System.nanoTime();
        try (RankGroups groups = RankGroups.create(world, execution.mode(), execution.groupSize()))
        {
            groupCount = groups.groupCount();
            outcome = CrossValidatedSearch.run(setup, world, groups, scheduling.policy(), journal);
        }
        catch (final SearchStoppedException ex)
        {
            if (world.rank() == 0)
            {
                context.out().println(name + ": " + ex.getMessage() + " in " + journal.file() +
                    "; run the job again with the same run directory to resume");
            }
            return STOPPED;
        }
        final double searchSeconds = (System.nanoTime() - searchStart) / 1e9;
        final int nodes = nodes(world);
        if (world.rank() == 0)
        {
            journal.delete();
            final RunFacts facts = new RunFacts(nodes, loadSeconds, searchSeconds, DataFacts.of(parts[0], test));
            final LearningCurves curves = output.report() ?
                LearningCurves.read(context.runDir().resolve(LearningCurves.METRICS_FILE)) : LearningCurves.NONE;
            final ExperimentSummary summary = new ExperimentSummary(name, model.family(), search.strategy(),
                scorer.name(), execution.mode().name().toLowerCase(Locale.ROOT), groupCount, world.size(),
                data.classNames(), outcome, (System.nanoTime() - start) / 1e9, facts, curves);
            if (output.report())
            {
                summary.write(context.runDir());
            }
            summary.print(context.out(), output.report() ? context.runDir() : null);
        }
        return 0;
    }

    /** The machines the ranks run on: distinct host names, gathered from every rank (every rank calls it). */
    private static int nodes(final Communicator world)
    {
        String host;
        try
        {
            host = InetAddress.getLocalHost().getHostName();
        }
        catch (final UnknownHostException ex)
        {
            host = "unknown host";
        }
        final Set<String> hosts = new HashSet<>();
        for (final byte[] name : world.allgatherBytes(host.getBytes(StandardCharsets.UTF_8)))
        {
            hosts.add(new String(name, StandardCharsets.UTF_8));
        }
        return hosts.size();
    }

    /** What the journal belongs to: the search, and for a family that reads files, what they said. */
    private long fingerprint(final SearchSetup<?> setup)
    {
        final long search = CrossValidatedSearch.fingerprint(setup);
        return model.entry() instanceof ConfiguredFamily<?> files ? Seeds.derive(search, files.fingerprint()) : search;
    }

    /** Distinct classes among the labeled rows. */
    private static int classesPresent(final Dataset data)
    {
        final Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < data.size(); i++)
        {
            if (data.label(i) != Dataset.UNLABELED)
            {
                seen.add(data.label(i));
            }
        }
        return seen.size();
    }

    /**
     * The best model goes into the run directory, under its family's file name, whole and owner-only; a model that
     * exports to ONNX (forest, k-means, self-training around a forest) also writes {@value OnnxExportable#FILE_NAME} beside it, the same way.
     */
    private static ModelStore modelStore(final Path runDir)
    {
        return model ->
        {
            final Path file = OwnerOnlyFile.write(runDir.resolve(model.fileName()), model::writeTo);
            if (model instanceof OnnxExportable portable && portable.exportsOnnx())
            {
                OwnerOnlyFile.write(runDir.resolve(OnnxExportable.FILE_NAME), portable::writeOnnx);
            }
            return file.toString();
        };
    }

    private static void requireSections(final SpecNode root)
    {
        final List<String> keys = new ArrayList<>(SECTIONS);
        keys.add("name");
        root.allowOnly(keys.toArray(new String[0]));
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
            if (root.has(section) && !(root.raw(section) instanceof Map) &&
                !(section.equals("cv") && CvSection.NONE.equals(root.raw(section))))
            {
                throw new SpecException(root.pathOf(section), "expected a mapping" +
                    (section.equals("cv") ? " or 'none'" : "") + ", found " + SpecNode.describe(root.raw(section)));
            }
        }
    }

    /**
     * What a run would do, as lines for {@code slipstream validate}: the data, the search (settings x folds and the
     * fits that makes, then the refit of the best), and with {@code ranks > 0} how the ranks are grouped (a hybrid
     * group larger than the world is refused as the run would refuse it).
     */
    public List<String> plan(final long seed, final int ranks)
    {
        final List<String> lines = new ArrayList<>();
        lines.add("data: " + data.size() + " rows, " + data.numFeatures() + " features" + (data.numClasses() > 0 ?
            ", " + data.numClasses() + " classes (" + String.join(", ", data.classNames()) + ")" : ", no labels"));
        final int settings = settings(seed).size();
        lines.add("search: " + search.strategy() + " over " + model.family() + ", " + settings + " setting(s) x " +
            cv.folds() + " folds = " + settings * cv.folds() + " fits" + (output.saveModel() ?
            ", then 1 refit of the best, saved" : ", then 1 refit of the best"));
        if (ranks > 0)
        {
            final ExecutionMode mode = execution.mode();
            if (mode == ExecutionMode.HYBRID && execution.groupSize() > ranks)
            {
                throw new SpecException("execution.group_size", execution.groupSize() + " is larger than the " +
                    ranks + " ranks of this job; use 1.." + ranks + " or start more ranks");
            }
            final String groups = switch (mode)
            {
                case SERIAL -> "rank 0 runs every fit";
                case PARALLEL -> ranks + " group(s) of 1 rank, each running whole fits";
                case HYBRID -> (ranks + execution.groupSize() - 1) / execution.groupSize() + " group(s) of " +
                    execution.groupSize() + " rank(s), each fit across its group" +
                    (ranks % execution.groupSize() != 0 ? " (the last of " + ranks % execution.groupSize() + ")" : "");
            };
            lines.add("execution: " + mode.name().toLowerCase(Locale.ROOT) + " on " + ranks + " rank(s): " + groups);
        }
        return lines;
    }

    /** Every setting of the search with the fixed parameters merged in. */
    private List<Map<String, Object>> settings(final long jobSeed)
    {
        final List<Map<String, Object>> out = new ArrayList<>();
        for (final Map<String, Object> s : search.search(jobSeed).settings())
        {
            try
            {
                out.add(Settings.merge(model.fixed(), s));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new SpecException(root.pathOf("search"), ex.getMessage());
            }
        }
        return out;
    }

    private void checkSettings(final List<Map<String, Object>> settings, final String path)
    {
        for (final Map<String, Object> setting : settings)
        {
            try
            {
                model.entry().parameters(setting, DataShape.of(data));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new SpecException(path, "setting " + Settings.text(setting) + ": " + ex.getMessage());
            }
        }
    }

    /** The training and test rows: all of data.path and data.test's rows, or data split with {@code splitSeed}. */
    private Dataset[] trainAndTest(final long splitSeed)
    {
        if (heldOut != null)
        {
            return new Dataset[]{data, heldOut};
        }
        final TrainTestSplit rows = TrainTestSplit.stratified(data, split.testFraction(), splitSeed);
        return new Dataset[]{data.subset(rows.train()), data.subset(rows.test())};
    }

    /** Fails at load time when the split or the folds cannot be made (counts do not depend on the seeds). */
    private void checkFolds()
    {
        final Dataset[] parts;
        try
        {
            parts = trainAndTest(0);
        }
        catch (final DataException ex)
        {
            throw new SpecException(root.pathOf("split") + ".test_fraction", ex.getMessage());
        }
        if (cv.none())
        {
            return;
        }
        Dataset train = parts[0];
        if (keepLabels < 1.0)
        {
            train = LabelMask.keepFraction(train, keepLabels, 0);
        }
        final SpecNode cvNode = root.childOrEmpty("cv");
        try
        {
            StratifiedKFold.split(StratifiedKFold.labelsOf(train), train.numClasses(), cv.folds(), false, 0);
        }
        catch (final DataException ex)
        {
            throw new SpecException(cvNode.pathOf("folds"), cv.folds() + " is impossible here: " + ex.getMessage() +
                " (counted in the training part" + (keepLabels < 1.0 ? ", labeled rows" : "") + ")");
        }
    }

    private Scorer selection(final SpecNode selection)
    {
        selection.allowOnly("metric");
        final boolean supervised = model.entry().supervised();
        final String metric = selection.choice("metric", supervised ? "accuracy" : "silhouette",
            Scorers.NAMES.toArray(new String[0]));
        final Scorer chosen = Scorers.byName(metric);
        if (chosen.needsLabels() && !supervised)
        {
            throw selection.error("metric", "'" + metric + "' compares predictions with labels but " +
                model.family() + " is unsupervised; use silhouette or neg_inertia");
        }
        if (metric.equals("neg_inertia") && !(model.entry() instanceof ClustererFamily<?>))
        {
            throw selection.error("metric", "neg_inertia applies to clustering families only; use one of " +
                String.join(", ", Scorers.NAMES));
        }
        return chosen;
    }
}
