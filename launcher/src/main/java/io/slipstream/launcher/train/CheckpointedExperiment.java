package io.slipstream.launcher.train;

import io.slipstream.kernels.DevicePlacement;
import io.slipstream.launcher.experiment.ExperimentJob;
import io.slipstream.launcher.experiment.ModelFamilies;
import io.slipstream.launcher.job.Job;
import io.slipstream.launcher.job.JobContext;
import io.slipstream.launcher.signal.ExitCode;
import io.slipstream.launcher.signal.SharedFailure;
import io.slipstream.launcher.spec.SpecNode;

/**
 * An experiment whose fits report to the run directory: the experiment registry with the DL4J families,
 * {@link RunDirHooks} built from the spec's {@code training:} and {@code checkpoint:} sections around the
 * launcher's hooks with the spec's {@code sharding} section (random when the spec has none or names no
 * strategy, so a checkpoint resumes on any number of ranks). Exit code {@link ExitCode#CHECKPOINTED_AND_STOPPED}
 * when a stop request ended the training early (the checkpoints are then in the run directory for a resume);
 * {@link ExitCode#FAILED} when a checkpoint could not be written under {@code checkpoint.on_failure: stop} (the
 * last intact one stays).
 */
public final class CheckpointedExperiment implements Job
{
    private final ExperimentJob experiment;
    private final TrainingSpec training;
    private final byte[] specHash;

    private CheckpointedExperiment(final ExperimentJob experiment, final TrainingSpec training, final byte[] specHash)
    {
        this.experiment = experiment;
        this.training = training;
        this.specHash = specHash;
    }

    /** Validates the whole spec (experiment sections, then training and checkpoint) before any rank starts work. */
    public static CheckpointedExperiment fromSpec(final SpecNode root)
    {
        return fromSpec(root, ModelFamilies.standard());
    }

    /** As {@link #fromSpec(SpecNode)}, with the model family looked up in {@code families}. */
    public static CheckpointedExperiment fromSpec(final SpecNode root, final ModelFamilies families)
    {
        final ExperimentJob experiment = ExperimentJob.fromSpec(root, families);
        return new CheckpointedExperiment(experiment, TrainingSpec.from(root), SpecHash.of(root));
    }

    /** The experiment this job runs. */
    public ExperimentJob experiment()
    {
        return experiment;
    }

    @Override
    public int run(final JobContext context) throws Exception
    {
        final int localRank = context.place().localRank();
        final int ranksOnHost = context.place().ranksOnHost();
        try (RunDirHooks hooks = new RunDirHooks(context.hooks(), training, experiment.sharding(), context.runDir(),
            context.world().rank(), ranksOnHost, specHash, context.out()))
        {
            final DevicePlacement placement =
                DevicePlacement.applyForThisThread(localRank, context.place().gpu().visibleGpus());
            if (context.world().rank() == 0)
            {
                context.out().println("compute: ND4J " + placement.backend() + (placement.onGpu() ?
                    ", GPU " + placement.gpuIndex() + " for local rank " + localRank : ", CPU") + ", " +
                    hooks.trainingOptions().threads() + " thread(s) per rank, " + ranksOnHost + " rank(s) on this host");
            }
            final int code = experiment.run(context.withHooks(hooks));
            SharedFailure.agree(context.world(), hooks.outputFailure());
            if (hooks.checkpointFailed())
            {
                context.out().println("stopped: a checkpoint could not be written and checkpoint.on_failure is stop " +
                    "(the error is above); fix the checkpoint directory, then run the job again with the same run " +
                    "directory to resume from the last intact checkpoint");
                return ExitCode.FAILED;
            }
            if (code == ExitCode.OK && context.hooks().stopRequested())
            {
                context.out().println("stopped on request after a checkpoint; run the same job again to resume");
                return ExitCode.CHECKPOINTED_AND_STOPPED;
            }
            return code;
        }
    }
}
