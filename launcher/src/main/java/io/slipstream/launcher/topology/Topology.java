package io.slipstream.launcher.topology;

import java.util.List;

/**
 * One rank's place in the world and how it reaches the others, as detected from its environment.
 *
 * @param source           which launcher's variables described the world.
 * @param rank             this rank, 0..size-1.
 * @param size             number of ranks.
 * @param localRank        rank among the ranks of this node.
 * @param localSize        ranks on this node, or -1 when the launcher does not say.
 * @param nodeIndex        this node's index in the step, or -1 when the launcher does not say.
 * @param nodes            the step's node names in order (from the hostlist; never resolved), may be empty.
 * @param jobId            the scheduler's job id (or the local launcher's), part of the coordinator port.
 * @param stepId           the step within the job ("" outside SLURM).
 * @param restartCount     how often the scheduler requeued the job (0 on the first run).
 * @param coordinatorHost  where rank 0 listens, or {@code null}: rank 0 publishes its address in the run
 *                         directory (see {@link CoordinatorRendezvous}).
 * @param coordinatorPort  rank 0's bootstrap port.
 * @param hostId           equal for ranks that share a machine's {@code /dev/shm} (IPC), distinct otherwise.
 * @param advertiseAddress the address other ranks use to reach this rank.
 * @param gpu              this rank's GPU, if any.
 */
public record Topology(
    TopologySource source,
    int rank,
    int size,
    int localRank,
    int localSize,
    int nodeIndex,
    List<String> nodes,
    String jobId,
    String stepId,
    int restartCount,
    String coordinatorHost,
    int coordinatorPort,
    String hostId,
    String advertiseAddress,
    GpuAssignment gpu)
{
    /** The most node names {@link #describe()} lists. */
    private static final int SHOWN_NODES = 8;

    public Topology
    {
        nodes = List.copyOf(nodes);
    }

    /** The node rank 0 runs on under block distribution: the first of the step, or "" when unknown. */
    public String firstNode()
    {
        return nodes.isEmpty() ? "" : nodes.get(0);
    }

    /** True when rank 0 must publish its address in the run directory for the others to read. */
    public boolean needsRendezvous()
    {
        return coordinatorHost == null;
    }

    /** Names this run attempt: a requeued job or a later step never reads an older attempt's files. */
    public String attemptTag()
    {
        return jobId + (stepId.isEmpty() ? "" : "." + stepId) + ".r" + restartCount;
    }

    /** The same topology with rank 0's address, once the rendezvous has found it. */
    public Topology withCoordinatorHost(final String host)
    {
        return new Topology(source, rank, size, localRank, localSize, nodeIndex, nodes, jobId, stepId, restartCount,
            host, coordinatorPort, hostId, advertiseAddress, gpu);
    }

    /** One line for the log: where the world came from and where rank 0 listens. */
    public String describe()
    {
        return "topology from " + source.description() + ": " + size + " ranks" +
            (nodes.isEmpty() ? "" : " on " + nodes.size() + " node(s) " + String.join(",",
                nodes.subList(0, Math.min(nodes.size(), SHOWN_NODES))) + (nodes.size() > SHOWN_NODES ? ",..." : "")) +
            ", job " + jobId + (stepId.isEmpty() ? "" : " step " + stepId) +
            ", coordinator " + (coordinatorHost == null ? "rank 0 (address from the run directory), port " +
            coordinatorPort : coordinatorHost + ":" + coordinatorPort);
    }
}
