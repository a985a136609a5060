package io.slipstream.launcher.job;

import io.slipstream.comm.Communicator;
import io.slipstream.trainer.model.RunHooks;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * A rank's view of a running job: the world communicator, the run directory (shared by the ranks of
 * a host; rank 0 writes the job's outputs), the job seed, the hooks, where to print results, and where the
 * rank sits on its host (detected once, when it joined).
 */
public record JobContext(Communicator world, Path runDir, long seed, RunHooks hooks, PrintStream out, HostPlace place)
{
    /** The context of ranks that run as threads of one JVM: all on this host ({@link HostPlace#sharedHost}). */
    public JobContext(final Communicator world, final Path runDir, final long seed, final RunHooks hooks,
        final PrintStream out)
    {
        this(world, runDir, seed, hooks, out, HostPlace.sharedHost(world));
    }

    /** The same context with other hooks. */
    public JobContext withHooks(final RunHooks other)
    {
        return new JobContext(world, runDir, seed, other, out, place);
    }
}
