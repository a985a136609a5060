package io.slipstream.launcher.job;

import io.slipstream.comm.Communicator;
import io.slipstream.trainer.model.RunHooks;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * A rank's view of a running job: the world communicator, the run directory (shared by the ranks of
 * a host; rank 0 writes the job's outputs), the job seed, the hooks, and where to print results.
 */
public record JobContext(Communicator world, Path runDir, long seed, RunHooks hooks, PrintStream out)
{
}
