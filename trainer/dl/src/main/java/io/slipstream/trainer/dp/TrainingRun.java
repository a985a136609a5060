package io.slipstream.trainer.dp;

import io.slipstream.comm.OneLineLog;
import io.slipstream.comm.Communicator;
import io.slipstream.comm.ReduceOp;
import io.slipstream.trainer.model.RunHooks;
import io.slipstream.trainer.model.UserInputException;
import io.slipstream.trainer.state.TrainingState;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Epochs of data-parallel steps with the run's hooks: resumes from the newest checkpoint (rank 0 reads
 * it, every rank receives it), reports steps, checkpoints at the configured cadence, and when any rank
 * asks to stop, every rank finishes the same step, rank 0 writes a checkpoint, and all return
 * {@link Outcome#STOPPED}. Resuming with the same world size reproduces the uninterrupted run bit for
 * bit; with another world size it continues from the same global sample of the epoch. That needs a
 * shard plan in which rank r's i-th sample is position {@code i * N + r} of an epoch order that does not
 * depend on N ({@link InterleavedShards}, the launcher's random {@code ShardPlan}). With gradient
 * compression the ranks' carried rounding errors are not checkpointed: a resume restarts them at zero.
 */
public final class TrainingRun
{
    private static final OneLineLog LOG = OneLineLog.of(TrainingRun.class);
    private static final byte NO_CHECKPOINT = 0;
    private static final byte RESUMED = 1;
    private static final byte FAILED = 2;
    private static final byte REFUSED = 3;

    /** How a run ended. */
    public enum Outcome
    {
        COMPLETED, STOPPED
    }

    private final DataParallelTrainer trainer;
    private final TrainableNetwork net;
    private final Communicator group;
    private final TrainingHooks hooks;
    private final String modelTag;
    private final long seed;
    private final StepReport report = new StepReport();
    private final DataSet[] microBatches;
    private final long[] saveStatus = new long[1];
    private final int metricsEvery;
    private int epoch;
    private long samplesInEpoch;

    public TrainingRun(final DataParallelTrainer trainer, final RunHooks hooks, final String modelTag, final long seed)
    {
        this.trainer = trainer;
        this.net = trainer.network();
        this.group = trainer.group();
        this.hooks = TrainingHooks.of(hooks);
        this.modelTag = modelTag;
        this.seed = seed;
        this.metricsEvery = this.hooks.trainingOptions().metricsEvery();
        microBatches = new DataSet[trainer.options().accumulationSteps()];
    }

    public Outcome run(final BatchSource source)
    {
        if (restore())
        {
            // A stop was requested before this fit began (e.g. the next fit of a search): nothing new to save.
            return Outcome.STOPPED;
        }
        final int epochs = source.epochs();
        final int perStep = microBatches.length;
        for (; epoch < epochs; epoch++, samplesInEpoch = 0)
        {
            net.epoch(epoch);
            source.startEpoch(epoch, samplesInEpoch);
            int step = 0;
            final int stepsInEpoch = source instanceof ShardBatches ? stepsLeft((ShardBatches)source, perStep) : -1;
            while (true)
            {
                for (int m = 0; m < perStep; m++)
                {
                    microBatches[m] = source.next();
                }
                final long start = System.nanoTime();
                final boolean applied = trainer.step(microBatches, hooks.stopRequested());
                final long stepNanos = System.nanoTime() - start;
                final long samples = trainer.lastGlobalSamples();
                if (samples > 0)
                {
                    samplesInEpoch += samples;
                    step++;
                    if (step % metricsEvery == 0 || step == stepsInEpoch || trainer.stopAgreed())
                    {
                        hooks.onStep(report.set(group.rank(), epoch, epochs, step, stepsInEpoch, net.iteration(),
                            trainer.lastLoss(), samples, stepNanos, trainer.lastCommNanos(), trainer.skippedSteps()));
                    }
                }
                if (trainer.stopAgreed())
                {
                    checkpoint();
                    return Outcome.STOPPED;
                }
                if (samples == 0)
                {
                    break;
                }
                final int every = hooks.checkpointEverySteps();
                if (applied && every > 0 && hooks.checkpointsEnabled() && net.iteration() % every == 0 && !checkpoint())
                {
                    return Outcome.STOPPED;
                }
            }
        }
        samplesInEpoch = 0;
        checkpoint();
        return Outcome.COMPLETED;
    }

    private static int stepsLeft(final ShardBatches source, final int perStep)
    {
        return (source.remainingBatches() + perStep - 1) / perStep;
    }

    /** Rank 0 writes the state; every rank learns whether the policy says to go on. */
    private boolean checkpoint()
    {
        if (!hooks.checkpointsEnabled())
        {
            return true;
        }
        saveStatus[0] = 0;
        if (group.rank() == 0)
        {
            final TrainingState state = new TrainingState(new byte[TrainingState.SPEC_HASH_BYTES], modelTag,
                group.size(), seed, epoch, net.iteration(), samplesInEpoch, trainer.skippedSteps(),
                net.params().toFloatVector(), net.updaterState() == null ? new float[0] : net.updaterState().toFloatVector());
            saveStatus[0] = hooks.saveCheckpoint(state) ? 0 : 1;
        }
        group.allreduce(saveStatus, ReduceOp.MAX);
        return saveStatus[0] == 0;
    }

    /** Loads the newest checkpoint on rank 0 and shares it; returns true when rank 0 already has a stop request. */
    private boolean restore()
    {
        byte[] header = null;
        if (group.rank() == 0)
        {
            final byte[] loaded = loadOnRoot();
            header = new byte[loaded.length + 1];
            header[0] = (byte)(hooks.stopRequested() ? 1 : 0);
            System.arraycopy(loaded, 0, header, 1, loaded.length);
        }
        header = group.broadcastBytes(header, 0);
        final ByteBuffer in = ByteBuffer.wrap(header);
        final boolean stopBeforeStart = in.get() == 1;
        final byte status = in.get();
        if (status == FAILED || status == REFUSED)
        {
            final byte[] bytes = new byte[in.remaining()];
            in.get(bytes);
            final String message = new String(bytes, StandardCharsets.UTF_8);
            throw status == REFUSED ? new UserInputException(message) : new IllegalStateException(message);
        }
        trainer.synchronizeFrom(0);
        if (status == RESUMED)
        {
            epoch = in.getInt();
            samplesInEpoch = in.getLong();
            trainer.skippedSteps(in.getLong());
        }
        return stopBeforeStart;
    }

    private byte[] loadOnRoot()
    {
        try
        {
            final Optional<TrainingState> found = hooks.checkpointsEnabled() ? hooks.latestCheckpoint(seed) : Optional.empty();
            if (found.isEmpty())
            {
                return new byte[]{NO_CHECKPOINT};
            }
            final TrainingState state = found.get();
            if (state.seed() != seed)
            {
                throw new IllegalStateException("the checkpoint belongs to the fit with seed " + state.seed() +
                    ", not this fit's " + seed + ": the run's hooks mixed up the fits' checkpoints");
            }
            if (!state.modelTag().equals(modelTag))
            {
                throw new UserInputException("the checkpoint holds model '" + state.modelTag() + "' but this run " +
                    "trains '" + modelTag + "': point the run at its own checkpoint directory or restore the " +
                    "original spec");
            }
            final INDArray updater = net.updaterState();
            final int updaterLength = updater == null ? 0 : (int)updater.length();
            if (state.params().length != net.params().length() || state.updaterState().length != updaterLength)
            {
                throw new UserInputException("the checkpoint has " + state.params().length + " parameters and " +
                    state.updaterState().length + " updater values, this network " + net.params().length() + " and " +
                    updaterLength + ": it belongs to another model");
            }
            net.params().assign(Nd4j.createFromArray(state.params()));
            if (updater != null)
            {
                updater.assign(Nd4j.createFromArray(state.updaterState()));
            }
            net.iteration((int)state.iteration());
            net.epoch(state.epoch());
            if (state.worldSize() != group.size())
            {
                LOG.log(Level.INFO, "resuming a " + state.worldSize() + "-rank checkpoint on " + group.size() +
                    " ranks at global sample " +
                    state.samplesInEpoch() + " of epoch " + state.epoch());
            }
            return ByteBuffer.allocate(1 + 4 + 8 + 8).put(RESUMED).putInt(state.epoch()).putLong(state.samplesInEpoch())
                .putLong(state.skippedSteps()).array();
        }
        catch (final RuntimeException ex)
        {
            final byte[] message = String.valueOf(ex.getMessage()).getBytes(StandardCharsets.UTF_8);
            final byte status = ex instanceof UserInputException ? REFUSED : FAILED;
            return ByteBuffer.allocate(1 + message.length).put(status).put(message).array();
        }
    }
}
