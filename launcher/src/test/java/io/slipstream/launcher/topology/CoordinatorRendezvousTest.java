package io.slipstream.launcher.topology;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CoordinatorRendezvousTest
{
    @TempDir
    Path runDir;

    private static Topology slurmRank(final int rank, final String restarts)
    {
        final Map<String, String> env = new HashMap<>();
        env.put("SLURM_JOB_ID", "77");
        env.put("SLURM_STEP_ID", "0");
        env.put("SLURM_PROCID", Integer.toString(rank));
        env.put("SLURM_NTASKS", "2");
        env.put("SLURM_LOCALID", "0");
        env.put("SLURM_NODEID", Integer.toString(rank));
        env.put("SLURM_STEP_NODELIST", "n[1-2]");
        env.put("SLURM_TASKS_PER_NODE", "1(x2)");
        env.put("SLURM_RESTART_COUNT", restarts);
        return new TopologyDetector(env, "m", "10.0.0." + (rank + 1)).detect();
    }

    @Test
    void rankZeroPublishesAndOthersFindIt() throws Exception
    {
        final Topology zero = slurmRank(0, "0");
        final Thread late = new Thread(() ->
        {
            try
            {
                Thread.sleep(200);
                CoordinatorRendezvous.publish(runDir, zero, zero.advertiseAddress());
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        late.start();
        assertEquals("10.0.0.1", CoordinatorRendezvous.await(runDir, slurmRank(1, "0"), TimeUnit.SECONDS.toNanos(30)));
        late.join();
        assertEquals(List.of("coordinator-77.0.r0"), Files.list(runDir).map(p -> p.getFileName().toString()).toList(),
            "no temporary file is left");
    }

    @Test
    void aRequeuedRunNeverReadsTheAddressOfItsPreviousRun() throws Exception
    {
        CoordinatorRendezvous.publish(runDir, slurmRank(0, "0"), "10.0.0.1");
        final TopologyException ex = assertThrows(TopologyException.class,
            () -> CoordinatorRendezvous.await(runDir, slurmRank(1, "1"), TimeUnit.MILLISECONDS.toNanos(300)));
        assertTrue(ex.getMessage().contains("coordinator-77.0.r1"), ex.getMessage());
        assertTrue(ex.getMessage().contains("not shared between nodes"), ex.getMessage());
    }

    @Test
    void hostFactsNeedNoLookup()
    {
        assertEquals(HostIdentity.machineId(), HostIdentity.machineId());
        assertTrue(HostIdentity.firstNonLoopbackAddress().matches("\\d+\\.\\d+\\.\\d+\\.\\d+"));
    }
}
