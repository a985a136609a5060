package io.slipstream.launcher.topology;

import java.util.List;

/**
 * What one launcher's variables say about this rank, before the overrides every source shares: one value per
 * source, built from the facts that source has ({@link #of}, then the {@code with...} parts it knows), so no
 * source passes placeholders for what it does not know.
 *
 * @param localSize   ranks on this node, or -1 when the source does not say.
 * @param nodeIndex   this node's index, or -1 when the source does not say.
 * @param coordinator rank 0's "host:port" or "host", or null: rank 0 publishes its address in the run directory.
 */
record Placement(
    TopologySource source,
    int rank,
    int size,
    String jobId,
    int localRank,
    int localSize,
    int nodeIndex,
    List<String> nodes,
    String nodeName,
    String stepId,
    int restartCount,
    String coordinator,
    GpuAssignment gpu)
{
    static Placement of(final TopologySource source, final int rank, final int size, final String jobId)
    {
        return new Placement(source, rank, size, jobId, rank, -1, -1, List.of(), "", "", 0, null,
            GpuAssignment.NONE);
    }

    Placement withLocal(final int localRank, final int localSize)
    {
        return new Placement(source, rank, size, jobId, localRank, localSize, nodeIndex, nodes, nodeName, stepId,
            restartCount, coordinator, gpu);
    }

    Placement withNode(final int index, final List<String> allNodes, final String name)
    {
        return new Placement(source, rank, size, jobId, localRank, localSize, index, allNodes, name, stepId,
            restartCount, coordinator, gpu);
    }

    Placement withStep(final String step, final int restarts)
    {
        return new Placement(source, rank, size, jobId, localRank, localSize, nodeIndex, nodes, nodeName, step,
            restarts, coordinator, gpu);
    }

    Placement withCoordinator(final String hostPort)
    {
        return new Placement(source, rank, size, jobId, localRank, localSize, nodeIndex, nodes, nodeName, stepId,
            restartCount, hostPort, gpu);
    }

    Placement withGpu(final GpuAssignment assignment)
    {
        return new Placement(source, rank, size, jobId, localRank, localSize, nodeIndex, nodes, nodeName, stepId,
            restartCount, coordinator, assignment);
    }
}
