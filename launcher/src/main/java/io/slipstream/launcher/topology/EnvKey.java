package io.slipstream.launcher.topology;

/**
 * Every environment variable the launcher reads, in one place: Slipstream's own ({@code SLIPSTREAM_*}) and the
 * launchers' it detects a world from (SLURM, OpenMPI, PMI, torchrun), each with what it means and how
 * {@link EnvReader#checkAll} checks it before anything runs. Comm's switches ({@code SLIPSTREAM_CHECKSUMS},
 * {@code SLIPSTREAM_IDLE}, {@code SLIPSTREAM_TERM_LENGTH}) are listed here and checked by comm's config.
 */
public enum EnvKey
{
    SLIPSTREAM_RANK(Check.READ_WHERE_USED, "this rank, 0..size-1 (set by slipstream local, or by hand)"),
    SLIPSTREAM_SIZE(Check.READ_WHERE_USED, "number of ranks"),
    SLIPSTREAM_LOCAL_RANK(Check.READ_WHERE_USED, "rank among this host's ranks"),
    SLIPSTREAM_LOCAL_SIZE(Check.READ_WHERE_USED, "ranks on this host"),
    SLIPSTREAM_NODE_INDEX(Check.READ_WHERE_USED, "this host's index in the job"),
    SLIPSTREAM_JOB_ID(Check.NAME, "the job's id: part of the run directory's and the driver directory's names"),
    SLIPSTREAM_COORDINATOR(Check.READ_WHERE_USED, "host:port where rank 0 listens"),
    SLIPSTREAM_COORDINATOR_PORT(Check.READ_WHERE_USED, "rank 0's port, when only the port is given"),
    SLIPSTREAM_ADDR(Check.ADDRESS, "the address this rank advertises to the others"),
    /** An older name of {@link #SLIPSTREAM_ADDR}; refused with a hint, so a setting is never silently ignored. */
    SLIPSTREAM_ADVERTISE_ADDRESS(Check.RENAMED, "renamed: use SLIPSTREAM_ADDR"),
    SLIPSTREAM_HOST_ID(Check.READ_WHERE_USED, "which ranks share memory: auto, node, or a name"),
    SLIPSTREAM_MAX_HOSTS(Check.COUNT, "the most host names a hostlist may expand to (default " +
        Hostlist.DEFAULT_MAX_HOSTS + ")"),
    SLIPSTREAM_SECRET(Check.READ_WHERE_USED, "the job secret every rank shares (never logged)"),
    SLIPSTREAM_TRANSPORT(Check.READ_WHERE_USED, "auto, ipc or udp"),
    SLIPSTREAM_AERON_DIR(Check.READ_WHERE_USED, "an external media driver's directory"),
    SLIPSTREAM_CHECKSUMS(Check.READ_WHERE_USED, "CRC32C on every data frame (comm)"),
    SLIPSTREAM_IDLE(Check.READ_WHERE_USED, "how comm's threads wait (comm)"),
    SLIPSTREAM_TERM_LENGTH(Check.READ_WHERE_USED, "Aeron term length (comm)"),
    SLIPSTREAM_CPU_BIND(Check.READ_WHERE_USED, "cores or none: local's CPU binding"),
    SLIPSTREAM_PARENT_PID(Check.READ_WHERE_USED, "the local launcher a rank ends itself without"),
    SLIPSTREAM_SCONTROL(Check.READ_WHERE_USED, "the scontrol binary a requeue calls"),
    /** Read by {@code launcher/bin/slipstream}, which puts it on the JVM's command line. */
    SLIPSTREAM_JAVA_OPTS(Check.READ_WHERE_USED, "extra JVM options, e.g. -Xmx8g"),
    OMP_NUM_THREADS(Check.COUNT, "OpenMP threads per rank (ND4J's native loops)"),
    CUDA_VISIBLE_DEVICES(Check.READ_WHERE_USED, "the GPUs this process sees"),

    SLURM_JOB_ID(Check.NAME, "the SLURM job's id"),
    SLURM_STEP_ID(Check.READ_WHERE_USED, "the step within the job"),
    SLURM_STEPID(Check.READ_WHERE_USED, "the step within the job (older name)"),
    SLURM_PROCID(Check.READ_WHERE_USED, "this task's rank"),
    SLURM_NTASKS(Check.READ_WHERE_USED, "the job's task count"),
    SLURM_STEP_NUM_TASKS(Check.READ_WHERE_USED, "the step's task count"),
    SLURM_LOCALID(Check.READ_WHERE_USED, "rank among this node's tasks"),
    SLURM_NODEID(Check.READ_WHERE_USED, "this node's index in the step"),
    SLURM_JOB_NODELIST(Check.READ_WHERE_USED, "the job's nodes as a hostlist"),
    SLURM_STEP_NODELIST(Check.READ_WHERE_USED, "the step's nodes as a hostlist"),
    SLURM_TASKS_PER_NODE(Check.READ_WHERE_USED, "tasks per node, e.g. 2(x3),1"),
    SLURM_STEP_TASKS_PER_NODE(Check.READ_WHERE_USED, "the step's tasks per node"),
    SLURM_STEP_GPUS(Check.READ_WHERE_USED, "the step's GPUs"),
    SLURM_JOB_GPUS(Check.READ_WHERE_USED, "the job's GPUs"),
    SLURM_RESTART_COUNT(Check.READ_WHERE_USED, "how often the job was requeued"),
    SLURMD_NODENAME(Check.READ_WHERE_USED, "this node's name"),

    OMPI_COMM_WORLD_RANK(Check.READ_WHERE_USED, "OpenMPI rank"),
    OMPI_COMM_WORLD_SIZE(Check.READ_WHERE_USED, "OpenMPI world size"),
    OMPI_COMM_WORLD_LOCAL_RANK(Check.READ_WHERE_USED, "OpenMPI local rank"),
    OMPI_COMM_WORLD_LOCAL_SIZE(Check.READ_WHERE_USED, "OpenMPI local size"),
    OMPI_MCA_ess_base_jobid(Check.READ_WHERE_USED, "OpenMPI job id"),
    PMIX_NAMESPACE(Check.READ_WHERE_USED, "PMIx job namespace"),

    PMI_RANK(Check.READ_WHERE_USED, "PMI rank"),
    PMI_SIZE(Check.READ_WHERE_USED, "PMI world size"),
    PMI_KVSNAME(Check.READ_WHERE_USED, "PMI job name"),
    PMI_JOBID(Check.READ_WHERE_USED, "PMI job id"),
    MPI_LOCALRANKID(Check.READ_WHERE_USED, "MPICH local rank"),
    MPI_LOCALNRANKS(Check.READ_WHERE_USED, "MPICH local size"),

    RANK(Check.READ_WHERE_USED, "torchrun rank"),
    WORLD_SIZE(Check.READ_WHERE_USED, "torchrun world size"),
    LOCAL_RANK(Check.READ_WHERE_USED, "torchrun local rank"),
    LOCAL_WORLD_SIZE(Check.READ_WHERE_USED, "torchrun local size"),
    GROUP_RANK(Check.READ_WHERE_USED, "torchrun node index"),
    MASTER_ADDR(Check.READ_WHERE_USED, "torchrun rank 0's host"),
    MASTER_PORT(Check.READ_WHERE_USED, "torchrun rank 0's port"),
    TORCHELASTIC_RUN_ID(Check.READ_WHERE_USED, "torchrun job id");

    /** What {@link EnvReader#checkAll} does with a variable that is set. */
    enum Check
    {
        /** Checked by the code that reads it, with the context (world size, the source) it needs. */
        READ_WHERE_USED,
        /** A name that becomes part of a path: letters, digits and {@code . _ - @ + :}, not starting with '.'. */
        NAME,
        /** A whole number from 1 to {@link EnvReader#MAX_COUNT}. */
        COUNT,
        /** An IP address or host name of this machine. */
        ADDRESS,
        /** An old name: refused, pointing at the new one. */
        RENAMED
    }

    private final Check check;
    private final String meaning;

    EnvKey(final Check check, final String meaning)
    {
        this.check = check;
        this.meaning = meaning;
    }

    Check check()
    {
        return check;
    }

    /** What the variable means, in a few words. */
    public String meaning()
    {
        return meaning;
    }
}
