package io.slipstream.launcher.train;

import io.slipstream.kernels.Compression;
import io.slipstream.kernels.GradientBuckets;
import io.slipstream.launcher.checkpoint.CheckpointPlace;
import io.slipstream.launcher.checkpoint.CheckpointStore;
import io.slipstream.launcher.spec.SpecNode;
import io.slipstream.trainer.dp.DataParallelOptions;
import io.slipstream.trainer.dp.TrainingOptions;

import java.util.Locale;

/**
 * A job spec's {@code training:} and {@code checkpoint:} sections, validated with their key paths.
 *
 * <pre>
 * training:
 *   compression: none          # none | bf16 | fp16: what crosses the wire for gradients
 *   bucket_bytes: 4194304      # allreduce bucket size
 *   accumulation_steps: 1      # micro-batches per exchange
 *   threads: 0                 # ND4J threads per rank; 0 = cores / ranks on the host (see RunDirHooks)
 *   metrics_every: 1           # a metrics.jsonl line every N steps
 *   progress: auto             # auto (bar on a terminal, lines otherwise) | bar | lines | off;
 *                              # YAML reads unquoted off/no/false as false (= off) and on/yes/true as true (= auto)
 * checkpoint:
 *   enabled: true
 *   dir: checkpoints           # relative to the run directory
 *   every_steps: 0             # 0: only when stopping and at the end
 *   keep: 3
 *   on_failure: continue       # continue | stop
 *   resume: true               # continue from the newest checkpoint in dir
 * </pre>
 */
public record TrainingSpec(
    TrainingOptions options,
    Progress progress,
    boolean checkpointEnabled,
    String checkpointDir,
    int checkpointEvery,
    int keep,
    CheckpointStore.OnFailure onFailure,
    boolean resume)
{
    /** How rank 0 shows progress. */
    public enum Progress
    {
        AUTO, BAR, LINES, OFF
    }

    public static TrainingSpec from(final SpecNode root)
    {
        final SpecNode training = root.childOrEmpty("training")
            .allowOnly("compression", "bucket_bytes", "accumulation_steps", "threads", "metrics_every", "progress");
        final Compression compression = Compression.parse(
            training.choice("compression", "none", "none", "bf16", "fp16"));
        final int bucketBytes = (int)training.integer("bucket_bytes", GradientBuckets.DEFAULT_BUCKET_BYTES, 64, 1 << 30);
        final int accumulation = (int)training.integer("accumulation_steps", 1, 1, 1024);
        final int threads = (int)training.integer("threads", 0, 0, 1024);
        final int metricsEvery = (int)training.integer("metrics_every", 1, 1, 1_000_000);
        final Progress progress = progress(training);

        final SpecNode checkpoint = root.childOrEmpty("checkpoint")
            .allowOnly("enabled", "dir", "every_steps", "keep", "on_failure", "resume", CheckpointPlace.OUTSIDE_KEY);
        final boolean enabled = checkpoint.bool("enabled", true);
        final String dir = checkpoint.string("dir", "checkpoints");
        if (dir.isBlank())
        {
            throw checkpoint.error("dir", "must not be empty; use a directory name such as 'checkpoints'");
        }
        CheckpointPlace.check(checkpoint, dir);
        final int every = (int)checkpoint.integer("every_steps", 0, 0, Integer.MAX_VALUE);
        final int keep = (int)checkpoint.integer("keep", 3, 1, 1000);
        final CheckpointStore.OnFailure onFailure = CheckpointStore.OnFailure.valueOf(
            checkpoint.choice("on_failure", "continue", "continue", "stop").toUpperCase(Locale.ROOT));
        final boolean resume = checkpoint.bool("resume", true);

        return new TrainingSpec(
            new TrainingOptions(new DataParallelOptions(bucketBytes, accumulation, compression), threads, metricsEvery),
            progress, enabled, dir, every, keep, onFailure, resume);
    }

    /** {@code training.progress}: a name, or the boolean YAML makes of an unquoted off (false) or on (true). */
    private static Progress progress(final SpecNode training)
    {
        if (training.raw("progress") instanceof Boolean)
        {
            return training.bool("progress", true) ? Progress.AUTO : Progress.OFF;
        }
        return Progress.valueOf(
            training.choice("progress", "auto", "auto", "bar", "lines", "off").toUpperCase(Locale.ROOT));
    }
}
