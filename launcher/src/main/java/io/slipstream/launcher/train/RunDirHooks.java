package io.slipstream.launcher.train;

import io.slipstream.kernels.ComputeThreads;
import io.slipstream.launcher.checkpoint.CheckpointStore;
import io.slipstream.launcher.shard.ShardPlan;
import io.slipstream.trainer.data.ShardAssignment;
import io.slipstream.trainer.dp.StepReport;
import io.slipstream.trainer.dp.TrainingOptions;
import io.slipstream.trainer.model.RunHooks;
import io.slipstream.trainer.state.TrainingState;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Set;
import java.util.Map;
import java.util.Optional;

/**
 * The launcher's {@link RunHooks} for a training run in a run directory. World rank 0 appends
 * {@code metrics.jsonl} (one JSON object per reported step: epoch, step, iteration, loss, samples/s,
 * step and comm time in ms, skipped steps), shows progress, and keeps checkpoints in
 * {@code <run dir>/<checkpoint.dir>/fit-<seed>/} through one {@link CheckpointStore} per fit (a search
 * runs many fits in one run; each has its own seed). Stop requests come from the
 * launcher's hooks (its signal flag); the trainer turns one into a checkpoint at the next step boundary
 * and returns, and the job then exits with {@code ExitCode.CHECKPOINTED_AND_STOPPED} (3).
 */
public final class RunDirHooks implements RunHooks, AutoCloseable
{
    public static final String METRICS_FILE = "metrics.jsonl";
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_DIR =
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_FILE =
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final RunHooks launcher;
    private final TrainingSpec spec;
    private final TrainingOptions options;
    private final int rank;
    private final Path checkpointRoot;
    private final byte[] specHash;
    private final Map<Long, CheckpointStore> stores = new HashMap<>();
    private final BufferedWriter metrics;
    private final ProgressLine progress;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param launcher    the launcher's hooks (stop flag).
     * @param ranksOnHost ranks of this job on this host; {@code training.threads: 0} becomes
     *                    {@code max(1, cores / ranksOnHost)} ND4J threads per rank.
     * @param specHash    {@link SpecHash} of the job spec.
     * @param out         where rank 0 shows progress.
     */
    public RunDirHooks(
        final RunHooks launcher,
        final TrainingSpec spec,
        final Path runDir,
        final int rank,
        final int ranksOnHost,
        final byte[] specHash,
        final PrintStream out)
    {
        this.launcher = launcher;
        this.spec = spec;
        final TrainingOptions given = spec.options();
        this.options = given.threads() > 0 ? given : new TrainingOptions(given.exchange(),
            ComputeThreads.perRank(Runtime.getRuntime().availableProcessors(), ranksOnHost), given.metricsEvery());
        this.rank = rank;
        this.checkpointRoot = runDir.resolve(spec.checkpointDir());
        this.specHash = specHash.clone();
        if (rank == 0)
        {
            try
            {
                Files.createDirectories(runDir, OWNER_DIR);
                final Path file = runDir.resolve(METRICS_FILE);
                if (!Files.exists(file))
                {
                    Files.createFile(file, OWNER_FILE);
                }
                metrics = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot open " + runDir.resolve(METRICS_FILE) + ": " + ex.getMessage() +
                    "; check that the run directory is writable", ex);
            }
            final boolean terminal = spec.progress() == TrainingSpec.Progress.BAR ||
                (spec.progress() == TrainingSpec.Progress.AUTO && System.console() != null);
            progress = spec.progress() == TrainingSpec.Progress.OFF ? null : new ProgressLine(out, terminal);
        }
        else
        {
            metrics = null;
            progress = null;
        }
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
            new CheckpointStore(checkpointRoot.resolve(fitDirectory(s)), spec.keep(), spec.onFailure(), specHash));
    }

    @Override
    public boolean stopRequested()
    {
        return launcher.stopRequested();
    }

    @Override
    public TrainingOptions trainingOptions()
    {
        return options;
    }

    /** The launcher's random shard plan: its epoch order does not depend on the world size, so resumes can change it. */
    @Override
    public ShardAssignment shardAssignment(final int datasetSize, final int worldSize, final long seed)
    {
        return ShardPlan.random(datasetSize, worldSize, seed, ShardPlan.Remainder.DROP);
    }

    @Override
    public void onStep(final StepReport report)
    {
        if (rank != 0)
        {
            return;
        }
        final ObjectNode line = json.createObjectNode();
        line.put("epoch", report.epoch());
        line.put("step", report.stepInEpoch());
        line.put("iteration", report.iteration());
        line.put("loss", report.loss());
        line.put("samples", report.globalSamples());
        line.put("samples_per_second", report.samplesPerSecond());
        line.put("step_ms", report.stepNanos() / 1e6);
        line.put("comm_ms", report.commNanos() / 1e6);
        line.put("skipped_steps", report.skippedSteps());
        try
        {
            metrics.write(json.writeValueAsString(line));
            metrics.newLine();
            metrics.flush();
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
        return !spec.checkpointEnabled() || store(state.seed()).save(state);
    }

    @Override
    public Optional<TrainingState> latestCheckpoint(final long seed)
    {
        return !spec.checkpointEnabled() || !spec.resume() ? Optional.empty() : store(seed).latest();
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
            try
            {
                metrics.close();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot close " + METRICS_FILE + ": " + ex.getMessage(), ex);
            }
        }
    }
}
