package io.slipstream.launcher.signal;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Puts the SLURM job back in the queue once its checkpoint is safely written, so the requeued job
 * resumes from it: rank 0 runs {@code scontrol requeue $SLURM_JOB_ID}. Only when the job asked for it
 * ({@code requeue: true}), only on rank 0, only under SLURM. The job must have been submitted with
 * {@code --requeue}; SLURM then ends this run and starts it again with {@code SLURM_RESTART_COUNT} + 1.
 */
public final class SlurmRequeue
{
    private static final long TIMEOUT_SECONDS = 30;

    private final List<String> scontrol;
    private final String jobId;
    private final boolean applies;

    SlurmRequeue(final List<String> scontrol, final String jobId, final boolean applies)
    {
        this.scontrol = List.copyOf(scontrol);
        this.jobId = jobId;
        this.applies = applies;
    }

    /** {@code SLIPSTREAM_SCONTROL} may name the scontrol binary; {@code scontrol} from PATH otherwise. */
    public static SlurmRequeue fromEnvironment(final Map<String, String> env, final int rank, final boolean enabled)
    {
        final String jobId = env.getOrDefault("SLURM_JOB_ID", "");
        final String binary = env.getOrDefault("SLIPSTREAM_SCONTROL", "scontrol");
        return new SlurmRequeue(List.of(binary), jobId, enabled && rank == 0 && !jobId.isEmpty());
    }

    /** True when this rank should requeue the job after a checkpoint-and-stop. */
    public boolean applies()
    {
        return applies;
    }

    /**
     * Call after the checkpoint is durable. Returns true when SLURM accepted the requeue; failures are
     * logged (the checkpoint is still there for a manual resubmit) and return false.
     */
    public boolean requeue(final PrintStream log)
    {
        if (!applies)
        {
            return false;
        }
        final List<String> command = new ArrayList<>(scontrol);
        command.add("requeue");
        command.add(jobId);
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final String output;
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                log.println("scontrol requeue " + jobId + " did not answer within " + TIMEOUT_SECONDS +
                    " s; resubmit the job to resume from its checkpoint");
                return false;
            }
            output = new String(process.getInputStream().readAllBytes()).trim();
            if (process.exitValue() != 0)
            {
                log.println("scontrol requeue " + jobId + " failed (" + output + "); was the job submitted with " +
                    "--requeue? Resubmit it to resume from its checkpoint");
                return false;
            }
            log.println("requeued SLURM job " + jobId + "; it resumes from the checkpoint");
            return true;
        }
        catch (final IOException ex)
        {
            log.println("cannot run " + String.join(" ", command) + ": " + ex.getMessage() +
                "; resubmit the job to resume from its checkpoint");
            return false;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
