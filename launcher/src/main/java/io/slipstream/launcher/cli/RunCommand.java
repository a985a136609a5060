package io.slipstream.launcher.cli;

import io.slipstream.comm.Communicator;
import io.slipstream.launcher.job.HostPlace;
import io.slipstream.launcher.job.Job;
import io.slipstream.launcher.job.JobContext;
import io.slipstream.launcher.signal.ExitCode;
import io.slipstream.launcher.signal.SignalHooks;
import io.slipstream.launcher.signal.StopFlag;
import io.slipstream.launcher.spec.SpecNode;
import io.slipstream.launcher.topology.Topology;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code slipstream run JOB.yaml}: this process is one rank. Validates the spec, finds the topology,
 * creates the run directory, finds rank 0, joins the world, runs the job and returns its exit code.
 */
final class RunCommand
{
    static final String NAME = "slipstream run";
    /** SLURM sends USR1 120 s before the end in our templates; leave room for the checkpoint and exit. */
    static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(90);
    private static final long CLOSE_MILLIS = 3_000;

    private final PrintStream out;
    private final PrintStream log;
    private final Map<String, String> env;

    RunCommand(final PrintStream out, final PrintStream log, final Map<String, String> env)
    {
        this.out = out;
        this.log = log;
        this.env = env;
    }

    static CommandLine commandLine()
    {
        return rankOptions(new CommandLine(NAME).common())
            .option(UserProgram.CLASSPATH, "CP", "your classes: the program's for --main, or jars of your own model " +
                "families for JOB.yaml (Slipstream's own is added)")
            .option(UserProgram.MAIN, "CLASS", "run your own program's main class as this rank (ARGS are its own)")
            .option(UserProgram.JAR, "APP.jar", "run the Main-Class of your jar as this rank (ARGS are its own)");
    }

    /** The options of a process that is one rank: where rank 0 is, how to be reached, how to talk. */
    static CommandLine rankOptions(final CommandLine line)
    {
        return line
            .option("--coordinator", "HOST:PORT", "where rank 0 listens (default: derived; see slurm/README.md)")
            .option("--addr", "ADDRESS", "the address this rank advertises (default: SLIPSTREAM_ADDR or the " +
                "first non-loopback address)")
            .option("--host-id", "auto|node|NAME", "which ranks share memory: per machine (auto), per scheduler " +
                "node (node), or a name")
            .option("--transport", "auto|ipc|udp", "how ranks exchange data (default auto: IPC on a host, UDP " +
                "between hosts)");
    }

    static String help()
    {
        return commandLine().help(NAME + " [options] [--classpath CP] JOB.yaml\n" +
            "       " + NAME + " [options] [--classpath CP] --main CLASS [ARGS...]\n" +
            "       " + NAME + " [options] -jar APP.jar [ARGS...]",
            "Runs this process as one rank of JOB.yaml: what srun (or mpirun, torchrun) starts on every task.\n" +
            "With --main or -jar, runs your program's main in this JVM instead; it joins with Slipstream.join().\n" +
            "The rank finds its place from SLIPSTREAM_*, SLURM, OpenMPI, PMI or torchrun variables, in that order.\n" +
            "The job secret comes from SLIPSTREAM_SECRET; without it, under SLURM, MPI or PMI rank 0 makes one and\n" +
            "shares it through the owner-only run directory (see RELIABILITY.md). SLIPSTREAM_AERON_DIR=DIR uses the\n" +
            "external Aeron media driver running in DIR instead of Slipstream's own (then every rank needs one).\n" +
            "Exit codes: 0 done, 1 failed, 2 bad input, 3 checkpointed and stopped (after SIGUSR1/SIGTERM),\n" +
            "4 stopped because another rank failed, 128+n killed by signal n.");
    }

    int execute(final List<String> args) throws Exception
    {
        final int programStart = UserProgram.start(args);
        final CommandLine line = commandLine().parse(programStart < 0 ? args : args.subList(0, programStart));
        if (line.has("--help"))
        {
            out.print(help());
            return ExitCode.OK;
        }
        final CommonOptions common = CommonOptions.from(line);
        if (programStart >= 0)
        {
            return runProgram(UserProgram.parse(NAME, args, programStart, line.value(UserProgram.CLASSPATH, null)),
                common, line);
        }
        final Path jobFile = Path.of(line.onePositional("job file (JOB.yaml)"));
        final SpecNode spec = SpecNode.load(jobFile);
        final Job job = JobCatalog.fromSpec(spec, JobCatalog.families(line.value(UserProgram.CLASSPATH, null)));
        return runRank(job, JobCatalog.name(spec), common, line);
    }

    /**
     * Runs {@code program}'s main in this JVM, on a thread of its own named {@code main}, with this command's options
     * as the environment {@code Slipstream.join()} reads. Its exit code: 0 when main returns, what the program's
     * {@code System.exit} or escaped Slipstream failure gives, else the command's code for what escaped.
     */
    private int runProgram(final UserProgram program, final CommonOptions common, final CommandLine line)
        throws Exception
    {
        final Map<String, String> presets = new HashMap<>();
        putIfGiven(line, "--coordinator", "SLIPSTREAM_COORDINATOR", presets);
        putIfGiven(line, "--addr", "SLIPSTREAM_ADDR", presets);
        putIfGiven(line, "--host-id", "SLIPSTREAM_HOST_ID", presets);
        putIfGiven(line, "--transport", WorldConnection.TRANSPORT, presets);
        if (common.runDir() != null)
        {
            presets.put(RankJoin.RUN_DIR, common.runDir().toString());
        }
        if (line.has("--deadline"))
        {
            presets.put(RankJoin.DEADLINE, line.value("--deadline", CommonOptions.DEFAULT_DEADLINE));
        }
        presets.put(RankJoin.JOB_NAME, program.mainClass().substring(program.mainClass().lastIndexOf('.') + 1));
        RankJoin.preset(presets);
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
     * signals. {@code line} carries the rank options of {@link #rankOptions(CommandLine)}.
     */
    int runRank(final Job job, final String jobName, final CommonOptions common, final CommandLine line)
        throws Exception
    {
        final Map<String, String> environment = new HashMap<>(env);
        putIfGiven(line, "--coordinator", "SLIPSTREAM_COORDINATOR", environment);
        putIfGiven(line, "--addr", "SLIPSTREAM_ADDR", environment);
        putIfGiven(line, "--host-id", "SLIPSTREAM_HOST_ID", environment);
        final RankJoin.Joined joined = RankJoin.join(environment, common.runDir(), jobName, common.deadlineNanos(),
            line.value("--transport", null), log, common.verbose());
        final Topology topology = joined.topology();
        final Path runDir = joined.runDir();
        final StopFlag stop = joined.stop();
        final Communicator world = joined.world();
        final Thread closeOnExit = new Thread(() -> RankJoin.leave(world, CLOSE_MILLIS), "slipstream-exit-close");
        Runtime.getRuntime().addShutdownHook(closeOnExit);
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


    private static void putIfGiven(
        final CommandLine line, final String option, final String variable, final Map<String, String> env)
    {
        if (line.has(option))
        {
            env.put(variable, line.value(option, ""));
        }
    }
}
