package io.slipstream.launcher.cli;

import io.slipstream.comm.Communicator;
import io.slipstream.launcher.job.HostPlace;
import io.slipstream.launcher.job.Job;
import io.slipstream.launcher.job.JobContext;
import io.slipstream.launcher.signal.ExitCode;
import io.slipstream.launcher.signal.SignalHooks;
import io.slipstream.launcher.signal.StopFlag;
import io.slipstream.launcher.spec.SpecException;
import io.slipstream.launcher.spec.SpecNode;
import io.slipstream.launcher.topology.Topology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code slipstream run JOB.yaml}: this process is one rank. Validates the spec, finds the topology,
 * creates the run directory, finds rank 0, joins the world, runs the job and returns its exit code.
 */
@Command(name = "run", synopsisHeading = "usage: ", optionListHeading = "%noptions:%n", sortOptions = false,
    header = "run this process as one rank of a job (what srun starts)",
    customSynopsis = {
        "slipstream run [options] [--set KEY=VALUE]... [--classpath CP] JOB.yaml",
        "       slipstream run [options] [--classpath CP] --main CLASS [ARGS...]",
        "       slipstream run [options] -jar APP.jar [ARGS...]"},
    description = {
        "Runs this process as one rank of JOB.yaml: what srun (or mpirun, torchrun) starts on every task.",
        "With --main or -jar, runs your program's main in this JVM instead; it joins with Slipstream.join().",
        "The rank finds its place from SLIPSTREAM_*, SLURM, OpenMPI, PMI or torchrun variables, in that order.",
        "The job secret comes from SLIPSTREAM_SECRET; without it, under SLURM, MPI or PMI rank 0 makes one and",
        "shares it through the owner-only run directory (see RELIABILITY.md). SLIPSTREAM_AERON_DIR=DIR uses the",
        "external Aeron media driver running in DIR instead of Slipstream's own (then every rank needs one).",
        "Exit codes: 0 done, 1 failed, 2 bad input, 3 checkpointed and stopped (after SIGUSR1/SIGTERM),",
        "4 stopped because another rank failed, 128+n killed by signal n.",
        "Rank 0 saves the spec it ran, --set overrides applied, as spec.effective.yaml in the run directory."})
final class RunCommand implements Leaf
{
    static final String NAME = "slipstream run";
    /** SLURM sends USR1 120 s before the end in our templates; leave room for the checkpoint and exit. */
    static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(90);
    private static final long CLOSE_MILLIS = 3_000;

    private final PrintStream out;
    private final PrintStream log;
    private final Map<String, String> env;
    /** The job spec as run (overrides applied), which rank 0 saves in the run directory; null for other jobs. */
    private SpecNode effectiveSpec;

    RunCommand(final PrintStream out, final PrintStream log, final Map<String, String> env)
    {
        this.out = out;
        this.log = log;
        this.env = env;
    }

    @Mixin
    private CommonOptions common;
    @Mixin
    private RankOptions rank;
    @Mixin
    private SpecOptions specOptions;
    @Mixin
    private ClasspathOption classpath;
    @Mixin
    private ProgramOptions program;
    @Parameters(paramLabel = "JOB.yaml", arity = "0..*", description = "the job spec")
    private List<String> positionals = new ArrayList<>();

    @Override
    public int execute(final List<String> args) throws Exception
    {
        final int programStart = UserProgram.start(args);
        if (programStart >= 0)
        {
            return runProgram(UserProgram.parse(NAME, args, programStart, classpath));
        }
        final Path jobFile = Path.of(Slipstream.onePositional(NAME, positionals, "job file (JOB.yaml)"));
        final SpecNode spec = specOptions.load(jobFile);
        final Job job = JobCatalog.fromSpec(spec, classpath.families());
        effectiveSpec = spec;
        return runRank(job, JobCatalog.name(spec), common, rank);
    }

    /**
     * Runs {@code program}'s main in this JVM, on a thread of its own named {@code main}, with this command's options
     * for {@code Slipstream.join()} to use over the environment. Its exit code: 0 when main returns, what the program's
     * {@code System.exit} or escaped Slipstream failure gives, else the command's code for what escaped.
     */
    private int runProgram(final UserProgram program) throws Exception
    {
        RankJoin.setCommandLine(new RankJoin.Options(rank.topology(), common.runDir(),
            program.mainClass().substring(program.mainClass().lastIndexOf('.') + 1),
            common.deadlineText() != null ? common.deadlineNanos() : null, rank.transport()));
        final java.lang.reflect.Method main = program.mainMethod();
        final Throwable[] failure = new Throwable[1];
        final Thread thread = new Thread(() ->
        {
            try
            {
                main.invoke(null, (Object)program.args().toArray(new String[0]));
            }
            catch (final java.lang.reflect.InvocationTargetException ex)
            {
                // Rethrown on this thread, so the handler Slipstream.join() installed on it reports it.
                final Throwable cause = ex.getCause();
                if (cause instanceof RuntimeException)
                {
                    throw (RuntimeException)cause;
                }
                if (cause instanceof Error)
                {
                    throw (Error)cause;
                }
                failure[0] = cause;
            }
            catch (final IllegalAccessException ex)
            {
                failure[0] = ex;
            }
        }, "main");
        thread.setContextClassLoader(main.getDeclaringClass().getClassLoader());
        thread.setUncaughtExceptionHandler((t, ex) -> failure[0] = ex);
        thread.start();
        thread.join();
        if (failure[0] instanceof Exception)
        {
            throw (Exception)failure[0];
        }
        if (failure[0] != null)
        {
            throw new IllegalStateException(String.valueOf(failure[0].getMessage()), failure[0]);
        }
        return ExitCode.OK;
    }

    /**
     * Runs {@code job} as this process's rank: topology, run directory, rank 0's address, the world,
     * signals, with {@code common} and {@code rank} as given to the command.
     */
    int runRank(final Job job, final String jobName, final CommonOptions common, final RankOptions rank)
        throws Exception
    {
        final RankJoin.Joined joined = RankJoin.join(env, new RankJoin.Options(rank.topology(), common.runDir(),
            jobName, common.deadlineNanos(), rank.transport()), log, common.verbose());
        final Topology topology = joined.topology();
        final Path runDir = joined.runDir();
        final StopFlag stop = joined.stop();
        final Communicator world = joined.world();
        final Thread closeOnExit = new Thread(() -> RankJoin.leave(world, CLOSE_MILLIS), "slipstream-exit-close");
        Runtime.getRuntime().addShutdownHook(closeOnExit);
        // Rank 0 saves the spec it runs before the job starts, so a run that fails or is stopped has it too.
        Path savedSpec = null;
        if (effectiveSpec != null && topology.rank() == 0)
        {
            final boolean earlier = Files.exists(runDir.resolve(SpecOptions.EFFECTIVE_SPEC));
            final Path file = SpecOptions.save(effectiveSpec, runDir);
            savedSpec = earlier ? null : file;
        }
        try
        {
            final int code = job.run(new JobContext(world, runDir, common.seed(), new SignalHooks(stop), out,
                HostPlace.of(topology)));
            if (code != ExitCode.OK)
            {
                log.println("slipstream: rank " + topology.rank() + ": the job ended with " + ExitCode.describe(code));
            }
            return code;
        }
        catch (final SpecException ex)
        {
            // Refused (e.g. a group larger than the world): nothing ran, so this run leaves nothing behind.
            if (savedSpec != null)
            {
                Files.deleteIfExists(savedSpec);
            }
            throw new RankFailedException(topology.rank(), ex);
        }
        catch (final Exception ex)
        {
            throw new RankFailedException(topology.rank(), ex);
        }
        finally
        {
            out.flush();
            removeHook(closeOnExit);
            if (!RankJoin.leave(world, CLOSE_MILLIS))
            {
                log.println("slipstream: rank " + topology.rank() + ": leaving the world took over " +
                    CLOSE_MILLIS / 1000 + " s (peers already gone?); exiting anyway");
            }
        }
    }

    private static void removeHook(final Thread hook)
    {
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException shuttingDown)
        {
            // The JVM is already exiting and the hook is closing the world.
        }
    }

}
