package io.slipstream.launcher.job;

import io.slipstream.comm.ThreadRanks;
import io.slipstream.launcher.topology.GpuAssignment;
import io.slipstream.launcher.topology.Topology;
import io.slipstream.launcher.topology.TopologySource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HostPlaceTest
{
    private static Topology topology(final int rank, final int size, final int localRank, final int localSize)
    {
        return new Topology(TopologySource.SLURM, rank, size, localRank, localSize, 0, List.of("node1"), "77", "0", 0,
            null, 12000, "host", "10.0.0.1", GpuAssignment.NONE);
    }

    @Test
    void aDetectedTopologyGivesItsLocalRankAndLocalSize()
    {
        final HostPlace place = HostPlace.of(topology(5, 8, 1, 4));
        assertEquals(1, place.localRank());
        assertEquals(4, place.ranksOnHost());
        assertSame(GpuAssignment.NONE, place.gpu());
    }

    @Test
    void aLauncherThatDoesNotSayTheLocalSizeCountsEveryRankOnTheHost()
    {
        assertEquals(8, HostPlace.of(topology(5, 8, 5, -1)).ranksOnHost());
    }

    @Test
    void inJvmRanksAllShareTheHost() throws Exception
    {
        final int[] local = new int[3];
        final int[] onHost = new int[3];
        ThreadRanks.run(3, world ->
        {
            final JobContext context = new JobContext(world, null, 1, null, null);
            local[world.rank()] = context.place().localRank();
            onHost[world.rank()] = context.place().ranksOnHost();
        });
        assertEquals(List.of(0, 1, 2), List.of(local[0], local[1], local[2]));
        assertEquals(List.of(3, 3, 3), List.of(onHost[0], onHost[1], onHost[2]));
    }

    @Test
    void aNegativeLocalRankIsRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> new HostPlace(-1, 2, GpuAssignment.NONE));
        assertThrows(IllegalArgumentException.class, () -> new HostPlace(0, 0, GpuAssignment.NONE));
    }
}
