package io.slipstream.launcher.topology;

import io.slipstream.launcher.spec.Printable;
import io.slipstream.launcher.spec.ValueText;

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
 *
 * <p>Every variable is read through one {@link EnvReader} ({@link EnvKey} lists them); each source's facts are
 * one {@link Placement}; the command line's options arrive typed as {@link TopologyOverrides}. A job id must be a
 * name that is safe in a path, a local rank must be below the local size, a hostlist is counted before it is
 * expanded (at most {@code SLIPSTREAM_MAX_HOSTS} names), and {@code SLIPSTREAM_ADDR} must be this host's.
 */
public final class TopologyDetector
{
    public static final int PORT_BASE = 12000;
    public static final int PORT_SPAN = 20000;
    private static final String LOOPBACK = "127.0.0.1";
    /** The variables that list the visible GPUs, the first set one wins. */
    private static final EnvKey[] GPU_LISTS =
        {EnvKey.CUDA_VISIBLE_DEVICES, EnvKey.SLURM_STEP_GPUS, EnvKey.SLURM_JOB_GPUS};

    private final EnvReader env;
    private final TopologyOverrides overrides;
    private final String machineId;
    private final String defaultAddress;

    public TopologyDetector(final Map<String, String> env, final String machineId, final String defaultAddress)
    {
        this(env, TopologyOverrides.NONE, machineId, defaultAddress);
    }

    public TopologyDetector(
        final Map<String, String> env, final TopologyOverrides overrides, final String machineId,
        final String defaultAddress)
    {
        this.env = new EnvReader(env);
        this.overrides = overrides;
        this.machineId = machineId;
        this.defaultAddress = defaultAddress;
    }

    /** A detector for this process: its machine id and first non-loopback address. */
    public static TopologyDetector forThisProcess(final Map<String, String> env)
    {
        return forThisProcess(env, TopologyOverrides.NONE);
    }

    /** {@link #forThisProcess(Map)} with the command line's options over their variables. */
    public static TopologyDetector forThisProcess(final Map<String, String> env, final TopologyOverrides overrides)
    {
        return new TopologyDetector(env, overrides, HostIdentity.machineId(), HostIdentity.firstNonLoopbackAddress());
    }

    public Topology detect()
    {
        final Placement explicit = slipstream();
        if (explicit != null)
        {
            return build(explicit);
        }
        final List<Placement> found = new ArrayList<>();
        addIfPresent(found, slurm());
        addIfPresent(found, openMpi());
        addIfPresent(found, pmi());
        addIfPresent(found, torchrun());
        if (found.isEmpty())
        {
            return build(single());
        }
        final Placement chosen = found.get(0);
        for (int i = 1; i < found.size(); i++)
        {
            final Placement other = found.get(i);
            if (other.rank() != chosen.rank() || other.size() != chosen.size())
            {
                throw new TopologyException("the environment is half " + chosen.source().description() +
                    " (rank " + chosen.rank() + " of " + chosen.size() + ") and half " +
                    other.source().description() + " (rank " + other.rank() + " of " + other.size() +
                    "): start ranks with one launcher, or set SLIPSTREAM_RANK and SLIPSTREAM_SIZE explicitly");
            }
        }
        return build(chosen);
    }

    private static void addIfPresent(final List<Placement> found, final Placement placement)
    {
        if (placement != null)
        {
            found.add(placement);
        }
    }

    private Placement slipstream()
    {
        if (!requireAllOrNone(EnvKey.SLIPSTREAM_RANK, EnvKey.SLIPSTREAM_SIZE))
        {
            return null;
        }
        final int size = env.positive(EnvKey.SLIPSTREAM_SIZE);
        final int rank = env.below(EnvKey.SLIPSTREAM_RANK, size, "the world size");
        final int localSize = env.has(EnvKey.SLIPSTREAM_LOCAL_SIZE) ? env.positive(EnvKey.SLIPSTREAM_LOCAL_SIZE) : size;
        final int localRank = env.has(EnvKey.SLIPSTREAM_LOCAL_RANK) ?
            localBelow(EnvKey.SLIPSTREAM_LOCAL_RANK, size, EnvKey.SLIPSTREAM_LOCAL_SIZE, localSize) : rank;
        final int nodeIndex = env.has(EnvKey.SLIPSTREAM_NODE_INDEX) ? env.nonNegative(EnvKey.SLIPSTREAM_NODE_INDEX) : 0;
        final String jobId = env.has(EnvKey.SLIPSTREAM_JOB_ID) ? env.name(EnvKey.SLIPSTREAM_JOB_ID) : "manual";
        return Placement.of(TopologySource.SLIPSTREAM, rank, size, jobId)
            .withLocal(localRank, localSize)
            .withNode(nodeIndex, List.of(), "")
            .withCoordinator(size == 1 ? LOOPBACK : null)
            .withGpu(gpuFor(localRank));
    }

    private Placement slurm()
    {
        if (env.has(EnvKey.SLURM_JOB_ID) && !env.has(EnvKey.SLURM_STEP_ID) && !env.has(EnvKey.SLURM_STEPID))
        {
            // sbatch's batch shell sets SLURM_PROCID=0 and SLURM_NTASKS for the whole job, but no step.
            throw new TopologyException(env.shown(EnvKey.SLURM_JOB_ID) +
                " is set but SLURM_STEP_ID is not: this is the job's batch shell or an salloc shell, not one of " +
                "its tasks; start the ranks with 'srun slipstream run JOB.yaml' (or set SLIPSTREAM_RANK=0 " +
                "SLIPSTREAM_SIZE=1 for one rank)");
        }
        if (!env.has(EnvKey.SLURM_PROCID))
        {
            return null;
        }
        final EnvKey nodelistVar = env.has(EnvKey.SLURM_STEP_NODELIST) ? EnvKey.SLURM_STEP_NODELIST :
            EnvKey.SLURM_JOB_NODELIST;
        final EnvKey ntasksVar = env.has(EnvKey.SLURM_STEP_NUM_TASKS) ? EnvKey.SLURM_STEP_NUM_TASKS :
            EnvKey.SLURM_NTASKS;
        final EnvKey tasksPerNodeVar = env.has(EnvKey.SLURM_STEP_TASKS_PER_NODE) ? EnvKey.SLURM_STEP_TASKS_PER_NODE :
            EnvKey.SLURM_TASKS_PER_NODE;
        requireAll("a SLURM step", EnvKey.SLURM_PROCID, ntasksVar, EnvKey.SLURM_LOCALID, EnvKey.SLURM_NODEID,
            EnvKey.SLURM_JOB_ID, nodelistVar, tasksPerNodeVar);
        final int size = env.positive(ntasksVar);
        final int rank = env.below(EnvKey.SLURM_PROCID, size, "the world size");
        final String jobId = env.name(EnvKey.SLURM_JOB_ID);
        final List<String> nodes = hostlist(nodelistVar);
        final int nodeIndex = nodeIndex(nodelistVar, nodes.size());
        final int localRank = env.below(EnvKey.SLURM_LOCALID, size, "the world size");
        final int localSize = tasksOnNode(tasksPerNodeVar, nodeIndex);
        if (localRank >= localSize)
        {
            throw new TopologyException("SLURM_LOCALID=" + localRank + " is not below the " + localSize +
                " tasks that " + env.shown(tasksPerNodeVar) + " gives node " + nodeIndex +
                ": the SLURM variables come from different steps; do not mix them by hand");
        }
        final String nodeName = env.get(EnvKey.SLURMD_NODENAME, nodes.isEmpty() ? "" : nodes.get(nodeIndex));
        return Placement.of(TopologySource.SLURM, rank, size, jobId)
            .withLocal(localRank, localSize)
            .withNode(nodeIndex, nodes, nodeName)
            .withStep(env.get(EnvKey.SLURM_STEP_ID, env.get(EnvKey.SLURM_STEPID, "0")),
                env.has(EnvKey.SLURM_RESTART_COUNT) ? env.nonNegative(EnvKey.SLURM_RESTART_COUNT) : 0)
            .withGpu(gpuFor(localRank));
    }

    private Placement openMpi()
    {
        if (!requireAllOrNone(EnvKey.OMPI_COMM_WORLD_RANK, EnvKey.OMPI_COMM_WORLD_SIZE,
            EnvKey.OMPI_COMM_WORLD_LOCAL_RANK))
        {
            return null;
        }
        final int size = env.positive(EnvKey.OMPI_COMM_WORLD_SIZE);
        final int rank = env.below(EnvKey.OMPI_COMM_WORLD_RANK, size, "the world size");
        final int localSize = env.has(EnvKey.OMPI_COMM_WORLD_LOCAL_SIZE) ?
            env.positive(EnvKey.OMPI_COMM_WORLD_LOCAL_SIZE) : -1;
        final int localRank = localBelow(EnvKey.OMPI_COMM_WORLD_LOCAL_RANK, size, EnvKey.OMPI_COMM_WORLD_LOCAL_SIZE,
            localSize);
        final String jobId = jobId("mpi", EnvKey.SLIPSTREAM_JOB_ID, EnvKey.PMIX_NAMESPACE,
            EnvKey.OMPI_MCA_ess_base_jobid);
        return Placement.of(TopologySource.OPENMPI, rank, size, jobId)
            .withLocal(localRank, localSize)
            .withGpu(gpuFor(localRank));
    }

    private Placement pmi()
    {
        if (!requireAllOrNone(EnvKey.PMI_RANK, EnvKey.PMI_SIZE))
        {
            return null;
        }
        final int size = env.positive(EnvKey.PMI_SIZE);
        final int rank = env.below(EnvKey.PMI_RANK, size, "the world size");
        final int localSize = env.has(EnvKey.MPI_LOCALNRANKS) ? env.positive(EnvKey.MPI_LOCALNRANKS) : -1;
        final int localRank = env.has(EnvKey.MPI_LOCALRANKID) ?
            localBelow(EnvKey.MPI_LOCALRANKID, size, EnvKey.MPI_LOCALNRANKS, localSize) : 0;
        final String jobId = jobId("pmi", EnvKey.SLIPSTREAM_JOB_ID, EnvKey.PMI_KVSNAME, EnvKey.PMI_JOBID);
        return Placement.of(TopologySource.PMI, rank, size, jobId)
            .withLocal(localRank, localSize)
            .withGpu(gpuFor(localRank));
    }

    private Placement torchrun()
    {
        if (!requireAllOrNone(EnvKey.RANK, EnvKey.WORLD_SIZE, EnvKey.LOCAL_RANK, EnvKey.MASTER_ADDR,
            EnvKey.MASTER_PORT))
        {
            return null;
        }
        final int size = env.positive(EnvKey.WORLD_SIZE);
        final int rank = env.below(EnvKey.RANK, size, "the world size");
        final int localSize = env.has(EnvKey.LOCAL_WORLD_SIZE) ? env.positive(EnvKey.LOCAL_WORLD_SIZE) : -1;
        final int localRank = localBelow(EnvKey.LOCAL_RANK, size, EnvKey.LOCAL_WORLD_SIZE, localSize);
        final int nodeIndex = env.has(EnvKey.GROUP_RANK) ? env.nonNegative(EnvKey.GROUP_RANK) : -1;
        final String jobId = jobId("torchrun", EnvKey.SLIPSTREAM_JOB_ID, EnvKey.TORCHELASTIC_RUN_ID);
        final int port = port(EnvKey.MASTER_PORT.name(), env.get(EnvKey.MASTER_PORT));
        return Placement.of(TopologySource.TORCHRUN, rank, size, jobId)
            .withLocal(localRank, localSize)
            .withNode(nodeIndex, List.of(), "")
            .withCoordinator(env.get(EnvKey.MASTER_ADDR) + ":" + port)
            .withGpu(gpuFor(localRank));
    }

    private Placement single()
    {
        final String jobId = env.has(EnvKey.SLIPSTREAM_JOB_ID) ? env.name(EnvKey.SLIPSTREAM_JOB_ID) :
            "single-" + ProcessHandle.current().pid();
        return Placement.of(TopologySource.SINGLE, 0, 1, jobId)
            .withLocal(0, 1)
            .withNode(0, List.of(), "")
            .withCoordinator(LOOPBACK)
            .withGpu(gpuFor(0));
    }

    /** Applies the overrides every source shares (the command line's first, then the variables). */
    private Topology build(final Placement p)
    {
        final String coordinatorName = overrides.coordinator() != null ? "--coordinator" :
            EnvKey.SLIPSTREAM_COORDINATOR.name();
        final String coordinatorText = overrides.coordinator() != null ? overrides.coordinator() :
            env.get(EnvKey.SLIPSTREAM_COORDINATOR);
        String host = coordinatorText != null ? coordinatorText : p.coordinator();
        int port = derivedPort(p.jobId(), p.stepId());
        if (host != null)
        {
            final int colon = host.lastIndexOf(':');
            if (colon >= 0)
            {
                port = port(coordinatorName, host.substring(colon + 1));
                host = host.substring(0, colon);
            }
            if (host.isEmpty())
            {
                throw new TopologyException(coordinatorName + "='" + Printable.of(coordinatorText) +
                    "' has no host; expected host:port, e.g. 10.0.0.5:12345");
            }
        }
        if (env.has(EnvKey.SLIPSTREAM_COORDINATOR_PORT))
        {
            port = port(EnvKey.SLIPSTREAM_COORDINATOR_PORT.name(), env.get(EnvKey.SLIPSTREAM_COORDINATOR_PORT));
        }
        final String address = overrides.address() != null ? EnvReader.checkAddress("--addr", overrides.address()) :
            env.has(EnvKey.SLIPSTREAM_ADDR) ? env.address(EnvKey.SLIPSTREAM_ADDR) : defaultAddress;
        return new Topology(p.source(), p.rank(), p.size(), p.localRank(), p.localSize(), p.nodeIndex(), p.nodes(),
            p.jobId(), p.stepId(), p.restartCount(), host, port, hostId(p.nodeName(), p.nodeIndex()), address,
            p.gpu());
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
        final String name = overrides.hostId() != null ? "--host-id" : EnvKey.SLIPSTREAM_HOST_ID.name();
        final String mode = overrides.hostId() != null ? overrides.hostId() :
            env.get(EnvKey.SLIPSTREAM_HOST_ID, "auto");
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
            throw new TopologyException(name + " is empty; use auto, node, or a name for this host");
        }
        if (mode.chars().anyMatch((c) -> c < 0x20 || c == 0x7f))
        {
            throw new TopologyException(name + "='" + Printable.of(mode) + "' holds control characters; use auto, " +
                "node, or a plain name for this host");
        }
        return mode;
    }

    /**
     * The GPU of {@code localRank} from the first variable that lists the visible GPUs: a per-task binding
     * ({@code CUDA_VISIBLE_DEVICES}) before SLURM's step and job lists; the one choice the rank's device follows.
     */
    private GpuAssignment gpuFor(final int localRank)
    {
        for (final EnvKey variable : GPU_LISTS)
        {
            final String value = env.asSet(variable);
            if (value != null)
            {
                return GpuAssignment.of(variable.name(), value, localRank);
            }
        }
        return GpuAssignment.NONE;
    }

    /** The first of {@code keys} that is set, checked as a name, or {@code otherwise}. */
    private String jobId(final String otherwise, final EnvKey... keys)
    {
        for (final EnvKey key : keys)
        {
            if (env.has(key))
            {
                return env.name(key);
            }
        }
        return otherwise;
    }

    /** A local rank below the world size and, when the source gives one, below the local size. */
    private int localBelow(final EnvKey rankKey, final int size, final EnvKey sizeKey, final int localSize)
    {
        final int localRank = env.below(rankKey, size, "the world size");
        if (localSize > 0 && localRank >= localSize)
        {
            throw new TopologyException(rankKey.name() + "=" + localRank + " is not below " + sizeKey.name() + "=" +
                localSize + ": a local rank must be in 0.." + (localSize - 1) + "; start the ranks with one " +
                "launcher, or fix these variables");
        }
        return localRank;
    }

    /** Parses SLURM's "2(x3),1" (three nodes with 2 tasks, then one with 1) and returns node i's count. */
    private int tasksOnNode(final EnvKey variable, final int nodeIndex)
    {
        final String value = env.get(variable);
        long node = 0;
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
        throw new TopologyException(env.shown(variable) + " lists " + node + " node(s) but SLURM_NODEID=" +
            nodeIndex + ": the SLURM variables come from different steps; do not mix them by hand");
    }

    private int parse(final EnvKey variable, final String text, final String whole)
    {
        final long count = ValueText.wholeNumber(variable.name(), text, (m) -> unparsable(variable, whole,
            "counts like 2(x3),1"));
        return (int)ValueText.inRange(variable.name(), count, 0, Integer.MAX_VALUE, TopologyException::new);
    }

    /** True when all are set, false when none is; partly set is refused naming the missing ones. */
    private boolean requireAllOrNone(final EnvKey... keys)
    {
        int present = 0;
        EnvKey first = keys[0];
        for (int i = keys.length - 1; i >= 0; i--)
        {
            if (env.has(keys[i]))
            {
                present++;
                first = keys[i];
            }
        }
        if (present == 0)
        {
            return false;
        }
        requireAll("a launcher that sets " + first.name(), keys);
        return true;
    }

    private void requireAll(final String what, final EnvKey... keys)
    {
        final List<String> missing = new ArrayList<>();
        for (final EnvKey key : keys)
        {
            if (!env.has(key))
            {
                missing.add(key.name());
            }
        }
        if (!missing.isEmpty())
        {
            throw new TopologyException("the environment looks like " + what + " but " + String.join(", ", missing) +
                (missing.size() == 1 ? " is" : " are") + " not set: start ranks with that launcher, or set " +
                "SLIPSTREAM_RANK and SLIPSTREAM_SIZE explicitly");
        }
    }

    private List<String> hostlist(final EnvKey key)
    {
        final int limit = env.has(EnvKey.SLIPSTREAM_MAX_HOSTS) ?
            env.integer(EnvKey.SLIPSTREAM_MAX_HOSTS, 1, EnvReader.MAX_COUNT) : Hostlist.DEFAULT_MAX_HOSTS;
        try
        {
            return Hostlist.expand(env.get(key), limit);
        }
        catch (final TopologyException ex)
        {
            throw new TopologyException(key.name() + ": " + ex.getMessage());
        }
    }

    private int nodeIndex(final EnvKey nodelistVar, final int nodes)
    {
        final int value = env.nonNegative(EnvKey.SLURM_NODEID);
        if (value >= Math.max(1, nodes))
        {
            throw new TopologyException("SLURM_NODEID=" + value + " is a node index, and it is not below the " + nodes +
                " node(s) of " + env.shown(nodelistVar) + ": the SLURM variables come from " +
                "different steps; do not mix them by hand");
        }
        return value;
    }

    private static int port(final String name, final String text)
    {
        return (int)ValueText.integer(name + " port", text, 1, 65535, TopologyException::new);
    }

    private TopologyException unparsable(final EnvKey variable, final String value, final String expected)
    {
        return new TopologyException(variable.name() + "='" + Printable.of(value) + "' does not parse; expected " +
            expected);
    }
}
