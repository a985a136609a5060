package io.slipstream.launcher.job;

import io.slipstream.comm.Communicator;
import io.slipstream.launcher.topology.GpuAssignment;
import io.slipstream.launcher.topology.Topology;

/**
 * Where a rank sits on its host, as the launcher detected it once when the rank joined: what a job needs to pick
 * its device and share the host's cores, without reading the environment again.
 *
 * @param localRank   the rank's index among the ranks of its host.
 * @param ranksOnHost how many ranks share the host (at least 1).
 * @param gpu         the GPU the launcher's variables give this rank, or {@link GpuAssignment#NONE}.
 */
public record HostPlace(int localRank, int ranksOnHost, GpuAssignment gpu)
{
    public HostPlace
    {
        if (localRank < 0 || ranksOnHost < 1)
        {
            throw new IllegalArgumentException("local rank " + localRank + " of " + ranksOnHost +
                " rank(s) on the host: need local rank >= 0 and at least one rank");
        }
    }

    /** A rank of a detected topology; a launcher that does not say how many ranks share the host counts all. */
    public static HostPlace of(final Topology topology)
    {
        return new HostPlace(topology.localRank(), topology.localSize() < 1 ? topology.size() : topology.localSize(),
            topology.gpu());
    }

    /** Ranks that run as threads of one JVM: every rank of {@code world} on this host, no GPU named. */
    public static HostPlace sharedHost(final Communicator world)
    {
        return new HostPlace(world.rank(), world.size(), GpuAssignment.NONE);
    }
}
