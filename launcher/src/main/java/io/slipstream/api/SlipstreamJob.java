package io.slipstream.api;

import io.slipstream.comm.Communicator;
import io.slipstream.launcher.cli.RankJoin;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * This process's place in a running Slipstream job, from {@link Slipstream#join()}: its rank, the world of all ranks
 * (a {@link Communicator} with allreduce, broadcast, barrier, allgather, ...), the owner-only run directory the ranks
 * share, and the stop flag that SIGUSR1/SIGTERM/SIGINT set. {@link #train} wraps a DL4J network for data-parallel
 * training. Closing it leaves the world (within 3 s, even when peers are gone).
 */
public final class SlipstreamJob implements AutoCloseable
{
    private static final long LEAVE_MILLIS = 3_000;

    private final int rank;
    private final int size;
    private final int localRank;
    private final int localSize;
    private final int node;
    private final String jobId;
    private final Communicator world;
    private final Path runDir;
    private final BooleanSupplier stop;
    private final PrintStream out;
    private final Thread leaveOnExit;
    private boolean closed;

    SlipstreamJob(
        final int rank,
        final int size,
        final int localRank,
        final int localSize,
        final int node,
        final String jobId,
        final Communicator world,
        final Path runDir,
        final BooleanSupplier stop,
        final PrintStream out)
    {
        this.rank = rank;
        this.size = size;
        this.localRank = localRank;
        this.localSize = localSize;
        this.node = node;
        this.jobId = jobId;
        this.world = world;
        this.runDir = runDir;
        this.stop = stop;
        this.out = out;
        leaveOnExit = new Thread(() -> RankJoin.leave(world, LEAVE_MILLIS), "slipstream-exit-close");
        Runtime.getRuntime().addShutdownHook(leaveOnExit);
    }

    /** This rank, 0 .. {@link #size()} - 1. */
    public int rank()
    {
        return rank;
    }

    /** Ranks in the job. */
    public int size()
    {
        return size;
    }

    /** This rank among the ranks on its node (what picks a GPU or a CPU share). */
    public int localRank()
    {
        return localRank;
    }

    /** Ranks on this node (1 when the launcher does not say). */
    public int localSize()
    {
        return localSize;
    }

    /** This node's index in the job (0 when the launcher does not say). */
    public int node()
    {
        return node;
    }

    /** The scheduler's (or {@code slipstream local}'s) job id. */
    public String jobId()
    {
        return jobId;
    }

    /** All ranks of the job: collectives here are seen by every rank, bit-identical where they reduce. */
    public Communicator world()
    {
        return world;
    }

    /** The run directory every rank of the job shares (owner-only): checkpoints, metrics.jsonl, your outputs. */
    public Path runDir()
    {
        return runDir;
    }

    /** True once SIGUSR1/SIGTERM/SIGINT asked the job to checkpoint and stop; poll it at a step boundary. */
    public boolean stopRequested()
    {
        return stop.getAsBoolean();
    }

    /** {@code network} (initialised, float32) trained data-parallel over all ranks; see {@link DataParallelNetwork}. */
    public DataParallelNetwork train(final MultiLayerNetwork network)
    {
        return new DataParallelNetwork(world, network, runDir, stop, out, localSize);
    }

    /** {@code graph} (initialised, float32, one input and one output) trained data-parallel over all ranks. */
    public DataParallelNetwork train(final ComputationGraph graph)
    {
        return new DataParallelNetwork(world, graph, runDir, stop, out, localSize);
    }

    /** Leaves the world; waits at most 3 s for the other ranks' goodbyes. */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            Runtime.getRuntime().removeShutdownHook(leaveOnExit);
        }
        catch (final IllegalStateException shuttingDown)
        {
            // The JVM is exiting and the hook is leaving the world already.
            return;
        }
        RankJoin.leave(world, LEAVE_MILLIS);
    }
}
