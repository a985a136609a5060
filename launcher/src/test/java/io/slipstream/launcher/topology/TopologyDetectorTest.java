package io.slipstream.launcher.topology;

import io.slipstream.kernels.DevicePlacement;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopologyDetectorTest
{
    private static final String MACHINE = "boot-1/mnt:[42]";
    private static final String ADDRESS = "10.1.2.3";

    private static Topology detect(final Map<String, String> env)
    {
        return new TopologyDetector(env, MACHINE, ADDRESS).detect();
    }

    private static String refused(final Map<String, String> env)
    {
        return assertThrows(TopologyException.class, () -> detect(env)).getMessage();
    }

    private static Map<String, String> slurmStep()
    {
        final Map<String, String> env = new HashMap<>();
        env.put("SLURM_JOB_ID", "4711");
        env.put("SLURM_STEP_ID", "0");
        env.put("SLURM_PROCID", "3");
        env.put("SLURM_NTASKS", "4");
        env.put("SLURM_LOCALID", "1");
        env.put("SLURM_NODEID", "1");
        env.put("SLURM_JOB_NODELIST", "node[1-2]");
        env.put("SLURM_STEP_NODELIST", "node[1-2]");
        env.put("SLURM_TASKS_PER_NODE", "2(x2)");
        env.put("SLURMD_NODENAME", "node2");
        return env;
    }

    @Test
    void nothingSetIsOneRankOnLoopback()
    {
        final Topology t = detect(Map.of());
        assertEquals(TopologySource.SINGLE, t.source());
        assertEquals(0, t.rank());
        assertEquals(1, t.size());
        assertEquals("127.0.0.1", t.coordinatorHost());
        assertEquals(MACHINE, t.hostId());
        assertEquals(ADDRESS, t.advertiseAddress());
        assertFalse(t.gpu().present());
    }

    @Test
    void slurmStepGivesRankNodesAndARendezvousCoordinator()
    {
        final Topology t = detect(slurmStep());
        assertEquals(TopologySource.SLURM, t.source());
        assertEquals(3, t.rank());
        assertEquals(4, t.size());
        assertEquals(1, t.localRank());
        assertEquals(2, t.localSize());
        assertEquals(1, t.nodeIndex());
        assertEquals(List.of("node1", "node2"), t.nodes());
        assertEquals("node1", t.firstNode());
        assertEquals("4711", t.jobId());
        assertEquals("0", t.stepId());
        assertTrue(t.needsRendezvous(), "node names are never resolved");
        assertEquals(TopologyDetector.derivedPort("4711", "0"), t.coordinatorPort());
        assertEquals("4711.0.r0", t.attemptTag());
    }

    @Test
    void derivedPortIsStableInRangeAndDiffersBetweenSteps()
    {
        final int a = TopologyDetector.derivedPort("4711", "0");
        assertEquals(a, TopologyDetector.derivedPort("4711", "0"));
        assertTrue(a >= TopologyDetector.PORT_BASE && a < TopologyDetector.PORT_BASE + TopologyDetector.PORT_SPAN);
        assertTrue(a != TopologyDetector.derivedPort("4711", "1") || a != TopologyDetector.derivedPort("4712", "0"));
    }

    @Test
    void unevenTasksPerNodeAndRestartCount()
    {
        final Map<String, String> env = slurmStep();
        env.put("SLURM_NTASKS", "5");
        env.put("SLURM_PROCID", "4");
        env.put("SLURM_LOCALID", "2");
        env.put("SLURM_TASKS_PER_NODE", "2,3");
        env.put("SLURM_RESTART_COUNT", "2");
        final Topology t = detect(env);
        assertEquals(3, t.localSize());
        assertEquals("4711.0.r2", t.attemptTag());
    }

    @Test
    void halfSlurmIsRefusedNamingWhatIsMissing()
    {
        final Map<String, String> env = slurmStep();
        env.remove("SLURM_LOCALID");
        env.remove("SLURM_NODEID");
        final String message = refused(env);
        assertTrue(message.contains("SLURM_LOCALID, SLURM_NODEID are not set"), message);
    }

    @Test
    void batchShellWithoutAStepIsRefusedWithTheFix()
    {
        final Map<String, String> env = slurmStep();
        env.remove("SLURM_STEP_ID");
        env.put("SLURM_PROCID", "0");
        assertTrue(refused(env).contains("srun slipstream run"), "sbatch sets SLURM_PROCID=0 in the batch shell");
        env.remove("SLURM_PROCID");
        assertTrue(refused(env).contains("srun slipstream run"));
    }

    @Test
    void rankNotBelowSizeIsRefused()
    {
        final Map<String, String> env = slurmStep();
        env.put("SLURM_PROCID", "4");
        assertTrue(refused(env).contains("SLURM_PROCID=4 is not below the world size 4"));
        assertTrue(refused(Map.of("SLIPSTREAM_RANK", "2", "SLIPSTREAM_SIZE", "2")).contains("not below"));
        assertTrue(refused(Map.of("SLIPSTREAM_RANK", "-1", "SLIPSTREAM_SIZE", "2")).contains("negative"));
        assertTrue(refused(Map.of("SLIPSTREAM_RANK", "x", "SLIPSTREAM_SIZE", "2")).contains("not a whole number"));
        assertTrue(refused(Map.of("SLIPSTREAM_RANK", "0", "SLIPSTREAM_SIZE", "0")).contains("at least 1"));
    }

    @Test
    void unparsableHostlistIsRefused()
    {
        final Map<String, String> env = slurmStep();
        env.put("SLURM_STEP_NODELIST", "node[2-1]");
        final String message = refused(env);
        assertTrue(message.startsWith("SLURM_STEP_NODELIST: hostlist 'node[2-1]' does not parse"), message);
        env.remove("SLURM_STEP_NODELIST");
        env.put("SLURM_JOB_NODELIST", "node[1-");
        final String jobMessage = refused(env);
        assertTrue(jobMessage.startsWith("SLURM_JOB_NODELIST: hostlist 'node[1-' does not parse"), jobMessage);
    }

    @Test
    void nodeIdOutsideTheNodelistIsANodeIndexNotARank()
    {
        final Map<String, String> env = slurmStep();
        env.put("SLURM_NODEID", "2");
        final String message = refused(env);
        assertTrue(message.startsWith("SLURM_NODEID=2 is a node index, and it is not below the 2 node(s) of " +
            "SLURM_STEP_NODELIST=node[1-2]"), message);
        assertFalse(message.contains("world size"), message);
    }

    @Test
    void slurmAndOpenMpiThatDisagreeAreRefused()
    {
        final Map<String, String> env = slurmStep();
        env.put("OMPI_COMM_WORLD_RANK", "0");
        env.put("OMPI_COMM_WORLD_SIZE", "2");
        env.put("OMPI_COMM_WORLD_LOCAL_RANK", "0");
        final String message = refused(env);
        assertTrue(message.contains("half SLURM step") && message.contains("half OpenMPI"), message);
    }

    @Test
    void slurmAndOpenMpiThatAgreeChooseSlurm()
    {
        final Map<String, String> env = slurmStep();
        env.put("OMPI_COMM_WORLD_RANK", "3");
        env.put("OMPI_COMM_WORLD_SIZE", "4");
        env.put("OMPI_COMM_WORLD_LOCAL_RANK", "1");
        assertEquals(TopologySource.SLURM, detect(env).source());
    }

    @Test
    void slipstreamVariablesWinOverSchedulerVariables()
    {
        final Map<String, String> env = slurmStep();
        env.put("SLIPSTREAM_RANK", "1");
        env.put("SLIPSTREAM_SIZE", "2");
        env.put("SLIPSTREAM_JOB_ID", "local-1");
        env.put("SLIPSTREAM_COORDINATOR", "127.0.0.1:23456");
        final Topology t = detect(env);
        assertEquals(TopologySource.SLIPSTREAM, t.source());
        assertEquals(1, t.rank());
        assertEquals("127.0.0.1", t.coordinatorHost());
        assertEquals(23456, t.coordinatorPort());
        assertTrue(refused(Map.of("SLIPSTREAM_RANK", "1")).contains("SLIPSTREAM_SIZE is not set"));
    }

    @Test
    void openMpiAndPmi()
    {
        final Topology mpi = detect(Map.of("OMPI_COMM_WORLD_RANK", "1", "OMPI_COMM_WORLD_SIZE", "3",
            "OMPI_COMM_WORLD_LOCAL_RANK", "1", "OMPI_COMM_WORLD_LOCAL_SIZE", "3", "PMIX_NAMESPACE", "prterun-x@1"));
        assertEquals(TopologySource.OPENMPI, mpi.source());
        assertEquals(3, mpi.size());
        assertEquals("prterun-x@1", mpi.jobId());
        assertTrue(mpi.needsRendezvous());
        assertTrue(refused(Map.of("OMPI_COMM_WORLD_RANK", "1")).contains("OMPI_COMM_WORLD_SIZE"));

        final Topology pmi = detect(Map.of("PMI_RANK", "2", "PMI_SIZE", "4", "MPI_LOCALRANKID", "0"));
        assertEquals(TopologySource.PMI, pmi.source());
        assertEquals(2, pmi.rank());
        assertTrue(refused(Map.of("PMI_SIZE", "4")).contains("PMI_RANK is not set"));
    }

    @Test
    void torchrunUsesMasterAddressAndPort()
    {
        final Topology t = detect(Map.of("RANK", "1", "WORLD_SIZE", "2", "LOCAL_RANK", "1", "MASTER_ADDR", "10.0.0.9",
            "MASTER_PORT", "29500", "GROUP_RANK", "0"));
        assertEquals(TopologySource.TORCHRUN, t.source());
        assertEquals("10.0.0.9", t.coordinatorHost());
        assertEquals(29500, t.coordinatorPort());
        assertFalse(t.needsRendezvous());
        assertTrue(refused(Map.of("RANK", "1", "WORLD_SIZE", "2")).contains("LOCAL_RANK, MASTER_ADDR, MASTER_PORT"));
        assertTrue(refused(Map.of("RANK", "1", "WORLD_SIZE", "2", "LOCAL_RANK", "1", "MASTER_ADDR", "h",
            "MASTER_PORT", "70000")).contains("out of range"));
    }

    @Test
    void overridesApplyToEverySource()
    {
        final Map<String, String> env = slurmStep();
        env.put("SLIPSTREAM_COORDINATOR_PORT", "15000");
        env.put("SLIPSTREAM_ADDR", "127.0.0.2");
        env.put("SLIPSTREAM_HOST_ID", "node");
        final Topology t = detect(env);
        assertNull(t.coordinatorHost());
        assertEquals(15000, t.coordinatorPort());
        assertEquals("127.0.0.2", t.advertiseAddress());
        assertEquals(MACHINE + "/node2", t.hostId(), "fake nodes on one machine become distinct hosts");
        env.put("SLIPSTREAM_HOST_ID", "rack7");
        assertEquals("rack7", detect(env).hostId());
        env.put("SLIPSTREAM_COORDINATOR", ":99");
        assertTrue(refused(env).contains("has no host"));
    }

    @Test
    void gpusGoRoundRobinOverTheVisibleDevices()
    {
        final Map<String, String> env = slurmStep();
        env.put("SLURM_STEP_GPUS", "4,5");
        GpuAssignment gpu = detect(env).gpu();
        assertEquals("SLURM_STEP_GPUS", gpu.variable());
        assertEquals(1, gpu.ordinal());
        assertEquals("5", gpu.id());
        env.put("CUDA_VISIBLE_DEVICES", "GPU-aa");
        gpu = detect(env).gpu();
        assertEquals("CUDA_VISIBLE_DEVICES", gpu.variable(), "a per-task binding wins over the step's list");
        assertEquals(0, gpu.ordinal());
        assertEquals("GPU-aa", gpu.id());
    }

    @Test
    void theGpuCountTheDeviceFollowsComesFromTheFirstListThatIsSet()
    {
        final Map<String, String> env = slurmStep();
        assertEquals(DevicePlacement.ALL_BACKEND_DEVICES, detect(env).gpu().visibleGpus(),
            "no list: every device the backend reports");
        env.put("SLURM_JOB_GPUS", "0,1,2");
        assertEquals("SLURM_JOB_GPUS", detect(env).gpu().variable());
        assertEquals(3, detect(env).gpu().visibleGpus());
        env.put("SLURM_STEP_GPUS", "4,6");
        assertEquals(2, detect(env).gpu().visibleGpus(), "the step's list before the job's");
        env.put("CUDA_VISIBLE_DEVICES", "");
        final GpuAssignment hidden = detect(env).gpu();
        assertFalse(hidden.present());
        assertEquals(0, hidden.visibleGpus(), "an empty CUDA_VISIBLE_DEVICES hides every GPU");
        env.put("CUDA_VISIBLE_DEVICES", "NoDevFiles");
        assertEquals(0, detect(env).gpu().visibleGpus());
    }

    @Test
    void aLocalRankAtOrAboveTheLocalSizeIsRefusedForEverySource()
    {
        final List<Map<String, String>> cases = List.of(
            Map.of("SLIPSTREAM_RANK", "1", "SLIPSTREAM_SIZE", "4", "SLIPSTREAM_LOCAL_RANK", "2",
                "SLIPSTREAM_LOCAL_SIZE", "2"),
            Map.of("OMPI_COMM_WORLD_RANK", "1", "OMPI_COMM_WORLD_SIZE", "4", "OMPI_COMM_WORLD_LOCAL_RANK", "3",
                "OMPI_COMM_WORLD_LOCAL_SIZE", "2"),
            Map.of("PMI_RANK", "1", "PMI_SIZE", "4", "MPI_LOCALRANKID", "2", "MPI_LOCALNRANKS", "2"),
            Map.of("RANK", "1", "WORLD_SIZE", "4", "LOCAL_RANK", "2", "LOCAL_WORLD_SIZE", "2", "MASTER_ADDR", "h",
                "MASTER_PORT", "29500"));
        for (final Map<String, String> env : cases)
        {
            final String message = refused(env);
            assertTrue(message.contains("is not below") && message.contains("local rank must be in 0..1"), message);
        }
    }

    @Test
    void aJobIdThatWouldBecomeAPathOutsideTheRunsDirectoryIsRefused()
    {
        final Map<String, String> env = slurmStep();
        env.put("SLURM_JOB_ID", "../../../../../tmp/x");
        assertTrue(refused(env).contains("SLURM_JOB_ID=../../../../../tmp/x is not a usable name"));
        for (final String bad : List.of("..", ".hidden", "a/b", "a\nb", ""))
        {
            final Map<String, String> own = new HashMap<>(Map.of("SLIPSTREAM_RANK", "0", "SLIPSTREAM_SIZE", "2",
                "SLIPSTREAM_JOB_ID", bad.replace("\\n", "\n")));
            if (bad.isEmpty())
            {
                assertEquals("manual", detect(own).jobId(), "an empty variable counts as unset");
                continue;
            }
            final String message = refused(own);
            assertTrue(message.contains("is not a usable name") && !message.contains("\n"), message);
        }
        final Map<String, String> mpi = Map.of("OMPI_COMM_WORLD_RANK", "0", "OMPI_COMM_WORLD_SIZE", "1",
            "OMPI_COMM_WORLD_LOCAL_RANK", "0", "PMIX_NAMESPACE", "../x");
        assertTrue(refused(mpi).contains("PMIX_NAMESPACE=../x"));
    }

    @Test
    void theAdvertisedAddressMustBeThisHostsAndIsNamedWhenItIsNot()
    {
        final Map<String, String> env = new HashMap<>(Map.of("SLIPSTREAM_RANK", "0", "SLIPSTREAM_SIZE", "2"));
        for (final String bad : List.of("not an address", "999.1.1.1", "192.0.2.77", "0.0.0.0", "host_name!"))
        {
            env.put("SLIPSTREAM_ADDR", bad);
            final String message = refused(env);
            assertTrue(message.startsWith("SLIPSTREAM_ADDR=" + bad + " "), message);
        }
        env.put("SLIPSTREAM_ADDR", "127.0.0.5");
        assertEquals("127.0.0.5", detect(env).advertiseAddress(), "every loopback address is this host's");
        env.remove("SLIPSTREAM_ADDR");
        final String option = assertThrows(TopologyException.class, () -> new TopologyDetector(env,
            new TopologyOverrides(null, "192.0.2.77", null), MACHINE, ADDRESS).detect()).getMessage();
        assertTrue(option.startsWith("--addr=192.0.2.77 "), option);
    }

    @Test
    void commandLineOverridesArriveTypedAndWinOverTheirVariables()
    {
        final Map<String, String> env = new HashMap<>(Map.of("SLIPSTREAM_RANK", "1", "SLIPSTREAM_SIZE", "2",
            "SLIPSTREAM_COORDINATOR", "10.0.0.1:1000", "SLIPSTREAM_HOST_ID", "from-env"));
        final Topology t = new TopologyDetector(env, new TopologyOverrides("127.0.0.9:2000", "127.0.0.3", "rack9"),
            MACHINE, ADDRESS).detect();
        assertEquals("127.0.0.9", t.coordinatorHost());
        assertEquals(2000, t.coordinatorPort());
        assertEquals("127.0.0.3", t.advertiseAddress());
        assertEquals("rack9", t.hostId());
        final String message = assertThrows(TopologyException.class, () -> new TopologyDetector(env,
            new TopologyOverrides(":5", null, null), MACHINE, ADDRESS).detect()).getMessage();
        assertTrue(message.startsWith("--coordinator=':5' has no host"), message);
    }

    @Test
    void aHugeNodeListIsRefusedBeforeItIsExpandedWithAConfigurableLimit()
    {
        final Map<String, String> env = slurmStep();
        env.put("SLURM_STEP_NODELIST", "n[0-999999]x[0-999999]");
        final String message = refused(env);
        assertTrue(message.startsWith("SLURM_STEP_NODELIST: hostlist") && message.contains("1000000000000 hosts"),
            message);
        env.put("SLURM_STEP_NODELIST", "node[1-2]");
        env.put("SLIPSTREAM_MAX_HOSTS", "1");
        assertTrue(refused(env).contains("limit of 1;"));
    }
}
