package io.slipstream.launcher.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds this rank's {@link Topology} from its environment, trying in order: Slipstream's own variables
 * ({@code SLIPSTREAM_RANK}, {@code SLIPSTREAM_SIZE}, ...), a SLURM step, OpenMPI, PMI, torchrun-style
 * variables, and finally a single rank. Slipstream's variables win outright (they are an explicit
 * choice); the others must agree on rank and size when several are present, else the environment is
 * refused. A launcher whose variables are only partly there is refused naming what is missing.
 *
 * <p>Overrides, valid with every source: {@code SLIPSTREAM_COORDINATOR=host:port},
 * {@code SLIPSTREAM_COORDINATOR_PORT}, {@code SLIPSTREAM_ADDR} (the address this rank advertises),
 * {@code SLIPSTREAM_HOST_ID} ({@code auto}: one id per machine; {@code node}: one per scheduler node, so
 * fake nodes on one machine count as different hosts; anything else is used as it is).
 *
 * <p>The coordinator port, unless given, is derived from the job and step id, so every rank of a step
 * computes the same one without talking: {@code 12000 + hash(job, step) mod 20000}, below Linux's
 * ephemeral port range. Names in hostlists are never resolved: under SLURM, MPI and PMI rank 0 publishes
 * the address it listens on in the run directory ({@link CoordinatorRendezvous}).
 */
public final class TopologyDetector
{
    public static final int PORT_BASE = 12000;
    public static final int PORT_SPAN = 20000;

    private final Map<String, String> env;
    private final String machineId;
    private final String defaultAddress;

    public TopologyDetector(final Map<String, String> env, final String machineId, final String defaultAddress)
    {
        this.env = env;
        this.machineId = machineId;
        this.defaultAddress = defaultAddress;
    }

    /** A detector for this process: its machine id and first non-loopback address. */
    public static TopologyDetector forThisProcess(final Map<String, String> env)
    {
        return new TopologyDetector(env, HostIdentity.machineId(), HostIdentity.firstNonLoopbackAddress());
    }

    public Topology detect()
    {
        final Topology explicit = slipstream();
        if (explicit != null)
        {
            return explicit;
        }
        final List<Topology> found = new ArrayList<>();
        addIfPresent(found, slurm());
        addIfPresent(found, openMpi());
        addIfPresent(found, pmi());
        addIfPresent(found, torchrun());
        if (found.isEmpty())
        {
            return single();
        }
        final Topology chosen = found.get(0);
        for (int i = 1; i < found.size(); i++)
        {
            final Topology other = found.get(i);
            if (other.rank() != chosen.rank() || other.size() != chosen.size())
            {
                throw new TopologyException("the environment is half " + chosen.source().description() +
                    " (rank " + chosen.rank() + " of " + chosen.size() + ") and half " +
                    other.source().description() + " (rank " + other.rank() + " of " + other.size() +
                    "): start ranks with one launcher, or set SLIPSTREAM_RANK and SLIPSTREAM_SIZE explicitly");
            }
        }
        return chosen;
    }

    private static void addIfPresent(final List<Topology> found, final Topology topology)
    {
        if (topology != null)
        {
            found.add(topology);
        }
    }

    private Topology slipstream()
    {
        if (!requireAllOrNone("SLIPSTREAM_RANK", "SLIPSTREAM_SIZE"))
        {
            return null;
        }
        final int size = positive("SLIPSTREAM_SIZE");
        final int rank = rankBelow("SLIPSTREAM_RANK", size);
        final int localRank = has("SLIPSTREAM_LOCAL_RANK") ? rankBelow("SLIPSTREAM_LOCAL_RANK", size) : rank;
        final int localSize = has("SLIPSTREAM_LOCAL_SIZE") ? positive("SLIPSTREAM_LOCAL_SIZE") : size;
        final int nodeIndex = has("SLIPSTREAM_NODE_INDEX") ? nonNegative("SLIPSTREAM_NODE_INDEX") : 0;
        final String jobId = env.getOrDefault("SLIPSTREAM_JOB_ID", "manual");
        final String loopback = "127.0.0.1";
        return build(TopologySource.SLIPSTREAM, rank, size, localRank, localSize, nodeIndex, List.of(), jobId, "",
            0, size == 1 ? loopback : null, gpuFrom("CUDA_VISIBLE_DEVICES", localRank), "");
    }

    private Topology slurm()
    {
        if (has("SLURM_JOB_ID") && !has("SLURM_STEP_ID") && !has("SLURM_STEPID"))
        {
            // sbatch's batch shell sets SLURM_PROCID=0 and SLURM_NTASKS for the whole job, but no step.
            throw new TopologyException("SLURM_JOB_ID=" + env.get("SLURM_JOB_ID") +
                " is set but SLURM_STEP_ID is not: this is the job's batch shell or an salloc shell, not one of " +
                "its tasks; start the ranks with 'srun slipstream run JOB.yaml' (or set SLIPSTREAM_RANK=0 " +
                "SLIPSTREAM_SIZE=1 for one rank)");
        }
        if (!has("SLURM_PROCID"))
        {
            return null;
        }
        final String nodelistVar = has("SLURM_STEP_NODELIST") ? "SLURM_STEP_NODELIST" : "SLURM_JOB_NODELIST";
        final String ntasksVar = has("SLURM_STEP_NUM_TASKS") ? "SLURM_STEP_NUM_TASKS" : "SLURM_NTASKS";
        final String tasksPerNodeVar = has("SLURM_STEP_TASKS_PER_NODE") ? "SLURM_STEP_TASKS_PER_NODE" :
            "SLURM_TASKS_PER_NODE";
        requireAll("a SLURM step", "SLURM_PROCID", ntasksVar, "SLURM_LOCALID", "SLURM_NODEID", "SLURM_JOB_ID",
            nodelistVar, tasksPerNodeVar);
        final int size = positive(ntasksVar);
        final int rank = rankBelow("SLURM_PROCID", size);
        final List<String> nodes = hostlist(nodelistVar);
        final int nodeIndex = nodeIndex(nodelistVar, nodes.size());
        final int localRank = rankBelow("SLURM_LOCALID", size);
        final int localSize = tasksOnNode(tasksPerNodeVar, nodeIndex);
        if (localRank >= localSize)
        {
            throw new TopologyException("SLURM_LOCALID=" + localRank + " is not below the " + localSize +
                " tasks that " + tasksPerNodeVar + "=" + env.get(tasksPerNodeVar) + " gives node " + nodeIndex +
                ": the SLURM variables come from different steps; do not mix them by hand");
        }
        final String gpuVar = has("CUDA_VISIBLE_DEVICES") ? "CUDA_VISIBLE_DEVICES" : "SLURM_STEP_GPUS";
        final String nodeName = env.getOrDefault("SLURMD_NODENAME", nodes.isEmpty() ? "" : nodes.get(nodeIndex));
        return build(TopologySource.SLURM, rank, size, localRank, localSize, nodeIndex, nodes,
            env.get("SLURM_JOB_ID"), env.getOrDefault("SLURM_STEP_ID", env.getOrDefault("SLURM_STEPID", "0")),
            has("SLURM_RESTART_COUNT") ? nonNegative("SLURM_RESTART_COUNT") : 0, null, gpuFrom(gpuVar, localRank),
            nodeName);
    }

    private Topology openMpi()
    {
        if (!requireAllOrNone("OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_LOCAL_RANK"))
        {
            return null;
        }
        final int size = positive("OMPI_COMM_WORLD_SIZE");
        final int rank = rankBelow("OMPI_COMM_WORLD_RANK", size);
        final int localRank = rankBelow("OMPI_COMM_WORLD_LOCAL_RANK", size);
        final int localSize = has("OMPI_COMM_WORLD_LOCAL_SIZE") ? positive("OMPI_COMM_WORLD_LOCAL_SIZE") : -1;
        final String jobId = firstOf("SLIPSTREAM_JOB_ID", "PMIX_NAMESPACE", "OMPI_MCA_ess_base_jobid", "mpi");
        return build(TopologySource.OPENMPI, rank, size, localRank, localSize, -1, List.of(), jobId, "", 0, null,
            gpuFrom("CUDA_VISIBLE_DEVICES", localRank), "");
    }

    private Topology pmi()
    {
        if (!requireAllOrNone("PMI_RANK", "PMI_SIZE"))
        {
            return null;
        }
        final int size = positive("PMI_SIZE");
        final int rank = rankBelow("PMI_RANK", size);
        final int localRank = has("MPI_LOCALRANKID") ? rankBelow("MPI_LOCALRANKID", size) : 0;
        final int localSize = has("MPI_LOCALNRANKS") ? positive("MPI_LOCALNRANKS") : -1;
        final String jobId = firstOf("SLIPSTREAM_JOB_ID", "PMI_KVSNAME", "PMI_JOBID", "pmi");
        return build(TopologySource.PMI, rank, size, localRank, localSize, -1, List.of(), jobId, "", 0, null,
            gpuFrom("CUDA_VISIBLE_DEVICES", localRank), "");
    }

    private Topology torchrun()
    {
        if (!requireAllOrNone("RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT"))
        {
            return null;
        }
        final int size = positive("WORLD_SIZE");
        final int rank = rankBelow("RANK", size);
        final int localRank = rankBelow("LOCAL_RANK", size);
        final int localSize = has("LOCAL_WORLD_SIZE") ? positive("LOCAL_WORLD_SIZE") : -1;
        final int nodeIndex = has("GROUP_RANK") ? nonNegative("GROUP_RANK") : -1;
        final String jobId = firstOf("SLIPSTREAM_JOB_ID", "TORCHELASTIC_RUN_ID", "torchrun");
        final int port = port("MASTER_PORT", env.get("MASTER_PORT"));
        return build(TopologySource.TORCHRUN, rank, size, localRank, localSize, nodeIndex, List.of(), jobId, "", 0,
            env.get("MASTER_ADDR") + ":" + port, gpuFrom("CUDA_VISIBLE_DEVICES", localRank), "");
    }

    private Topology single()
    {
        final String jobId = env.getOrDefault("SLIPSTREAM_JOB_ID", "single-" + ProcessHandle.current().pid());
        return build(TopologySource.SINGLE, 0, 1, 0, 1, 0, List.of(), jobId, "", 0, "127.0.0.1",
            gpuFrom("CUDA_VISIBLE_DEVICES", 0), "");
    }

    /**
     * Applies the overrides every source shares. {@code coordinator} is "host:port", "host" (port derived)
     * or null (rendezvous through the run directory).
     */
    private Topology build(
        final TopologySource source,
        final int rank,
        final int size,
        final int localRank,
        final int localSize,
        final int nodeIndex,
        final List<String> nodes,
        final String jobId,
        final String stepId,
        final int restartCount,
        final String coordinator,
        final GpuAssignment gpu,
        final String nodeName)
    {
        String host = coordinator;
        int port = derivedPort(jobId, stepId);
        if (has("SLIPSTREAM_COORDINATOR"))
        {
            host = env.get("SLIPSTREAM_COORDINATOR");
        }
        if (host != null)
        {
            final int colon = host.lastIndexOf(':');
            if (colon >= 0)
            {
                port = port("SLIPSTREAM_COORDINATOR", host.substring(colon + 1));
                host = host.substring(0, colon);
            }
            if (host.isEmpty())
            {
                throw new TopologyException("SLIPSTREAM_COORDINATOR='" + env.get("SLIPSTREAM_COORDINATOR") +
                    "' has no host; expected host:port, e.g. 10.0.0.5:12345");
            }
        }
        if (has("SLIPSTREAM_COORDINATOR_PORT"))
        {
            port = port("SLIPSTREAM_COORDINATOR_PORT", env.get("SLIPSTREAM_COORDINATOR_PORT"));
        }
        final String address = env.getOrDefault("SLIPSTREAM_ADDR", defaultAddress);
        return new Topology(source, rank, size, localRank, localSize, nodeIndex, nodes, jobId, stepId, restartCount,
            host, port, hostId(nodeName, nodeIndex), address, gpu);
    }

    /** The coordinator port every rank of a step derives alike from the job and step id. */
    public static int derivedPort(final String jobId, final String stepId)
    {
        long h = 0x9E3779B97F4A7C15L;
        final String key = jobId + "/" + stepId;
        for (int i = 0; i < key.length(); i++)
        {
            h = (h ^ key.charAt(i)) * 0x100000001B3L;
        }
        h ^= h >>> 31;
        return PORT_BASE + (int)Math.floorMod(h, (long)PORT_SPAN);
    }

    private String hostId(final String nodeName, final int nodeIndex)
    {
        final String mode = env.getOrDefault("SLIPSTREAM_HOST_ID", "auto");
        if ("auto".equals(mode))
        {
            return machineId;
        }
        if ("node".equals(mode))
        {
            return machineId + "/" + (nodeName.isEmpty() ? "node" + nodeIndex : nodeName);
        }
        if (mode.isBlank())
        {
            throw new TopologyException("SLIPSTREAM_HOST_ID is empty; use auto, node, or a name for this host");
        }
        return mode;
    }

    private GpuAssignment gpuFrom(final String variable, final int localRank)
    {
        return GpuAssignment.of(variable, env.get(variable), localRank);
    }

    /** Parses SLURM's "2(x3),1" (three nodes with 2 tasks, then one with 1) and returns node i's count. */
    private int tasksOnNode(final String variable, final int nodeIndex)
    {
        final String value = env.get(variable);
        int node = 0;
        for (final String part : value.split(","))
        {
            final int paren = part.indexOf('(');
            final String countText = paren < 0 ? part : part.substring(0, paren);
            int repeat = 1;
            if (paren >= 0)
            {
                if (!part.startsWith("(x", paren) || !part.endsWith(")"))
                {
                    throw unparsable(variable, value, "counts like 2(x3),1");
                }
                repeat = parse(variable, part.substring(paren + 2, part.length() - 1), value);
            }
            final int count = parse(variable, countText, value);
            if (nodeIndex < node + repeat)
            {
                return count;
            }
            node += repeat;
        }
        throw new TopologyException(variable + "=" + value + " lists " + node + " node(s) but SLURM_NODEID=" +
            nodeIndex + ": the SLURM variables come from different steps; do not mix them by hand");
    }

    private int parse(final String variable, final String text, final String whole)
    {
        try
        {
            return Integer.parseInt(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw unparsable(variable, whole, "counts like 2(x3),1");
        }
    }

    private boolean has(final String name)
    {
        final String value = env.get(name);
        return value != null && !value.isEmpty();
    }

    private String firstOf(final String a, final String b, final String c, final String otherwise)
    {
        return has(a) ? env.get(a) : has(b) ? env.get(b) : has(c) ? env.get(c) : otherwise;
    }

    private String firstOf(final String a, final String b, final String otherwise)
    {
        return has(a) ? env.get(a) : has(b) ? env.get(b) : otherwise;
    }

    /** True when all are set, false when none is; partly set is refused naming the missing ones. */
    private boolean requireAllOrNone(final String... names)
    {
        int present = 0;
        for (final String name : names)
        {
            present += has(name) ? 1 : 0;
        }
        if (present == 0)
        {
            return false;
        }
        requireAll("a launcher that sets " + firstPresent(names), names);
        return true;
    }

    private String firstPresent(final String... names)
    {
        for (final String name : names)
        {
            if (has(name))
            {
                return name;
            }
        }
        return names[0];
    }

    private void requireAll(final String what, final String... names)
    {
        final List<String> missing = new ArrayList<>();
        for (final String name : names)
        {
            if (!has(name))
            {
                missing.add(name);
            }
        }
        if (!missing.isEmpty())
        {
            throw new TopologyException("the environment looks like " + what + " but " + String.join(", ", missing) +
                (missing.size() == 1 ? " is" : " are") + " not set: start ranks with that launcher, or set " +
                "SLIPSTREAM_RANK and SLIPSTREAM_SIZE explicitly");
        }
    }

    private int positive(final String name)
    {
        final int value = integer(name);
        if (value < 1)
        {
            throw new TopologyException(name + "=" + env.get(name) + " must be at least 1");
        }
        return value;
    }

    private int nonNegative(final String name)
    {
        final int value = integer(name);
        if (value < 0)
        {
            throw new TopologyException(name + "=" + env.get(name) + " must not be negative");
        }
        return value;
    }

    private List<String> hostlist(final String name)
    {
        try
        {
            return Hostlist.expand(env.get(name));
        }
        catch (final TopologyException ex)
        {
            throw new TopologyException(name + ": " + ex.getMessage());
        }
    }

    private int nodeIndex(final String nodelistVar, final int nodes)
    {
        final int value = nonNegative("SLURM_NODEID");
        if (value >= Math.max(1, nodes))
        {
            throw new TopologyException("SLURM_NODEID=" + value + " is a node index, and it is not below the " + nodes +
                " node(s) of " + nodelistVar + "=" + env.get(nodelistVar) + ": the SLURM variables come from " +
                "different steps; do not mix them by hand");
        }
        return value;
    }

    private int rankBelow(final String name, final int size)
    {
        final int value = nonNegative(name);
        if (value >= size)
        {
            throw new TopologyException(name + "=" + value + " is not below the world size " + size +
                ": every rank must be in 0.." + (size - 1));
        }
        return value;
    }

    private int integer(final String name)
    {
        final String value = env.get(name);
        try
        {
            return Integer.parseInt(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new TopologyException(name + "='" + value + "' is not a whole number");
        }
    }

    private static int port(final String name, final String text)
    {
        final int port;
        try
        {
            port = Integer.parseInt(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new TopologyException(name + " port '" + text + "' is not a whole number; use 1..65535");
        }
        if (port < 1 || port > 65535)
        {
            throw new TopologyException(name + " port " + port + " is out of range; use 1..65535");
        }
        return port;
    }

    private static TopologyException unparsable(final String variable, final String value, final String expected)
    {
        return new TopologyException(variable + "='" + value + "' does not parse; expected " + expected);
    }
}
