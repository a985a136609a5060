package io.slipstream.launcher.train;

import io.slipstream.kernels.ComputeThreads;
import io.slipstream.launcher.checkpoint.CheckpointStore;
import io.slipstream.launcher.checkpoint.LineFile;
import io.slipstream.launcher.checkpoint.RunOutputException;
import io.slipstream.launcher.experiment.ShardingSection;
import io.slipstream.launcher.shard.ShardPlan;
import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.data.ShardAssignment;
import io.slipstream.trainer.dp.StepReport;
import io.slipstream.trainer.dp.TrainingOptions;
import io.slipstream.trainer.dp.TrainingHooks;
import io.slipstream.trainer.model.FitId;
import io.slipstream.trainer.report.LearningCurves;
import io.slipstream.trainer.model.RunHooks;
import io.slipstream.trainer.model.UserInputException;
import io.slipstream.trainer.state.TrainingState;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Set;
import java.util.Map;
import java.util.Optional;

/**
 * The launcher's {@link TrainingHooks} for a training run in a run directory. World rank 0 appends
 * {@code metrics.jsonl} (one JSON object per reported step, one whole line per append: the fit it belongs to as
 * {@code fit: {setting, fold, refit}} (0-based setting index as in {@code cv_results.csv}, fold null for the
 * refit and for a run's only fit), epoch, step, iteration, loss, samples/s, step and comm time in ms, skipped
 * steps), shows progress, and keeps checkpoints in
 * {@code <run dir>/<checkpoint.dir>/fit-<seed>/} through one {@link CheckpointStore} per fit (a search
 * runs many fits in one run; each has its own seed). Stop requests come from the
 * launcher's hooks (its signal flag); the trainer turns one into a checkpoint at the next step boundary
 * and returns, and the job then exits with {@code ExitCode.CHECKPOINTED_AND_STOPPED} (3). Shard plans follow
 * the experiment's {@code sharding} section through the launcher's {@link ShardPlan}; only {@code random}
 * resumes a checkpoint on another number of ranks (see {@link #latestCheckpoint(long)}).
 */
public final class RunDirHooks implements TrainingHooks, AutoCloseable
{
    public static final String METRICS_FILE = LearningCurves.METRICS_FILE;
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_DIR =
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private final RunHooks launcher;
    private final TrainingSpec spec;
    private final TrainingOptions options;
    private final int rank;
    private final Path checkpointRoot;
    private final byte[] specHash;
    private final ShardingSection sharding;
    private final Map<Long, CheckpointStore> stores = new HashMap<>();
    private final Map<Long, Integer> groupSizes = new HashMap<>();
    private final Path runDir;
    private LineFile metrics;
    private volatile String outputFailure;
    private final ProgressLine progress;
    private final ObjectMapper json = new ObjectMapper();
    private volatile boolean checkpointStop;
    private volatile FitId fit = FitId.SINGLE;

    /**
     * @param launcher    the launcher's hooks (stop flag).
     * @param sharding    the experiment's {@code sharding} section ({@link ShardingSection#DEFAULT}, random, when
     *                    the spec has none).
     * @param ranksOnHost ranks of this job on this host; {@code training.threads: 0} becomes
     *                    {@code max(1, cores / ranksOnHost)} ND4J threads per rank.
     * @param specHash    {@link SpecHash} of the job spec.
     * @param out         where rank 0 shows progress.
     */
    public RunDirHooks(
        final RunHooks launcher,
        final TrainingSpec spec,
        final ShardingSection sharding,
        final Path runDir,
        final int rank,
        final int ranksOnHost,
        final byte[] specHash,
        final PrintStream out)
    {
        this.launcher = launcher;
        this.spec = spec;
        this.sharding = sharding;
        final TrainingOptions given = spec.options();
        this.options = given.threads() > 0 ? given : new TrainingOptions(given.exchange(),
            ComputeThreads.perRank(Runtime.getRuntime().availableProcessors(), ranksOnHost), given.metricsEvery());
        this.rank = rank;
        this.checkpointRoot = runDir.resolve(spec.checkpointDir());
        this.specHash = specHash.clone();
        this.runDir = runDir;
        if (rank == 0)
        {
            final boolean terminal = spec.progress() == TrainingSpec.Progress.BAR ||
                (spec.progress() == TrainingSpec.Progress.AUTO && System.console() != null);
            progress = spec.progress() == TrainingSpec.Progress.OFF ? null : new ProgressLine(out, terminal);
        }
        else
        {
            progress = null;
        }
    }

    /**
     * The metrics file, opened (created owner-only) at the first reported step, so a run the experiment refuses
     * before training leaves nothing in the run directory.
     */
    private LineFile metrics()
    {
        if (metrics == null)
        {
            final Path file = runDir.resolve(METRICS_FILE);
            try
            {
                Files.createDirectories(runDir, OWNER_DIR);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot open " + file + ": " + ex.getMessage() +
                    "; check that the run directory is writable", ex);
            }
            metrics = LineFile.open(file);
        }
        return metrics;
    }

    /** The directory, under {@code checkpoint.dir}, holding the checkpoints of the fit with {@code seed}. */
    public static String fitDirectory(final long seed)
    {
        return String.format("fit-%016x", seed);
    }

    /**
     * The store of the fit with {@code seed}. The trainer writes through the rank that leads the fit (rank 0
     * of its group): world rank 0 for a fit across the world, any rank for the fits of a parallel search,
     * each into its own fit directory.
     */
    public synchronized CheckpointStore store(final long seed)
    {
        return stores.computeIfAbsent(seed, (s) ->
            CheckpointStore.forFit(checkpointRoot.resolve(fitDirectory(s)), s, spec.keep(), spec.onFailure(),
                specHash));
    }

    /**
     * The launcher's stop flag, or a checkpoint that could not be written under {@code on_failure: stop}: that
     * failure is seen on the saving rank only, and the trainer and the search scheduler share it with the
     * other ranks at their next agreement (step or wave boundary), as they do a signal.
     */
    @Override
    public boolean stopRequested()
    {
        return checkpointStop || outputFailure != null || launcher.stopRequested();
    }

    /**
     * Why this rank's output could not be written (disk full, the path), or null: set instead of failing the step,
     * so every rank stops at the next agreement and then reports it ({@code SharedFailure}).
     */
    public String outputFailure()
    {
        return outputFailure;
    }

    /** True once a checkpoint failed to write under {@code checkpoint.on_failure: stop}. */
    public boolean checkpointFailed()
    {
        return checkpointStop;
    }

    @Override
    public TrainingOptions trainingOptions()
    {
        return options;
    }

    /** The plan by size alone (no key column): random or ordered as the sharding section says. */
    @Override
    public ShardAssignment shardAssignment(final int datasetSize, final int worldSize, final long seed)
    {
        if (sharding.column() != null)
        {
            throw new IllegalStateException("partitioned sharding needs the rows to read the key column '" +
                sharding.column() + "' from; the trainer must ask for the plan with its data set");
        }
        return plan(datasetSize, null, worldSize, seed);
    }

    /**
     * The experiment's plan: {@code random} (an epoch order seeded by (seed, epoch) that no world size
     * changes, read interleaved), {@code ordered} (contiguous ranges) or {@code partitioned} (rows with equal
     * values in the key column on one rank). Rows that do not divide evenly are dropped per epoch.
     */
    @Override
    public ShardAssignment shardAssignment(final Dataset data, final int worldSize, final long seed)
    {
        long[] keys = null;
        if (sharding.column() != null)
        {
            final int column = Arrays.asList(data.featureNames()).indexOf(sharding.column());
            if (column < 0)
            {
                throw new IllegalArgumentException("sharding.column '" + sharding.column() + "' is not a feature of " +
                    "the fit's data (" + String.join(", ", data.featureNames()) + "); name one of them");
            }
            keys = ShardPlan.keyColumn(data, column);
        }
        return plan(data.size(), keys, worldSize, seed);
    }

    private ShardAssignment plan(final int datasetSize, final long[] keys, final int worldSize, final long seed)
    {
        synchronized (this)
        {
            groupSizes.put(seed, worldSize);
        }
        switch (sharding.strategy())
        {
            case "ordered":
                return ShardPlan.ordered(datasetSize, worldSize, ShardPlan.Remainder.DROP);
            case "partitioned":
                return ShardPlan.partitioned(keys, worldSize, seed, ShardPlan.Remainder.DROP);
            default:
                return ShardPlan.random(datasetSize, worldSize, seed, ShardPlan.Remainder.DROP);
        }
    }

    @Override
    public void onStep(final StepReport report)
    {
        if (rank != 0)
        {
            return;
        }
        final ObjectNode line = json.createObjectNode();
        final FitId current = fit;
        final ObjectNode id = line.putObject("fit");
        id.put("setting", current.setting());
        if (current.fold() >= 0)
        {
            id.put("fold", current.fold());
        }
        else
        {
            id.putNull("fold");
        }
        id.put("refit", current.refit());
        line.put("epoch", report.epoch());
        line.put("step", report.stepInEpoch());
        line.put("iteration", report.iteration());
        line.put("loss", report.loss());
        line.put("samples", report.globalSamples());
        line.put("samples_per_second", report.samplesPerSecond());
        line.put("step_ms", report.stepNanos() / 1e6);
        line.put("comm_ms", report.commNanos() / 1e6);
        line.put("skipped_steps", report.skippedSteps());
        if (outputFailure != null)
        {
            return;
        }
        try
        {
            metrics().append(json.writeValueAsString(line));
        }
        catch (final RunOutputException ex)
        {
            outputFailure = ex.getMessage();
            return;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot append to " + METRICS_FILE + ": " + ex.getMessage(), ex);
        }
        if (progress != null)
        {
            progress.show(report);
        }
    }

    /** The fit whose steps follow: named on every metrics line and progress line from now on. */
    @Override
    public void fitStarting(final FitId next)
    {
        fit = next;
        if (progress != null)
        {
            progress.fitStarting(next);
        }
    }

    @Override
    public boolean checkpointsEnabled()
    {
        return spec.checkpointEnabled();
    }

    @Override
    public int checkpointEverySteps()
    {
        return spec.checkpointEvery();
    }

    @Override
    public boolean saveCheckpoint(final TrainingState state)
    {
        if (!spec.checkpointEnabled() || store(state.seed()).save(state))
        {
            return true;
        }
        checkpointStop = true;
        return false;
    }

    /**
     * The newest valid checkpoint of the fit. A checkpoint written by another number of ranks resumes only
     * under {@code random} sharding, whose epoch order (read interleaved: rank r takes positions r, r + N, ...)
     * is the same for every N, so the new ranks continue at the same global sample. Under {@code ordered}
     * the ranges, and under {@code partitioned} the key-to-rank map (hash mod N), change with N: rows would be
     * read twice or never, so such a resume is refused with the world size to restart with.
     */
    @Override
    public Optional<TrainingState> latestCheckpoint(final long seed)
    {
        if (!spec.checkpointEnabled() || !spec.resume())
        {
            return Optional.empty();
        }
        final Optional<TrainingState> found = store(seed).latest();
        final Integer groupSize;
        synchronized (this)
        {
            groupSize = groupSizes.get(seed);
        }
        if (found.isPresent() && groupSize != null && found.get().worldSize() != groupSize &&
            !"random".equals(sharding.strategy()))
        {
            throw new UserInputException("the checkpoint in " + store(seed).dir() + " was written by " +
                found.get().worldSize() + " rank(s) with sharding " + sharding.strategy() + ", which gives each rank " +
                "other rows on " + groupSize + " rank(s); resume with " + found.get().worldSize() + " rank(s), or use " +
                "sharding strategy random (resumable on any world size), or set checkpoint.resume: false to start over");
        }
        return found;
    }

    @Override
    public void close()
    {
        if (progress != null)
        {
            progress.finish();
        }
        if (metrics != null)
        {
            metrics.close();
        }
    }
}
