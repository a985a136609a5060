package io.slipstream.launcher.cli;

import io.slipstream.launcher.signal.ExitCode;
import io.slipstream.launcher.signal.ExitOnSignal;
import io.slipstream.launcher.topology.EnvReader;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code slipstream} command. Bad input (unknown subcommand or option, a wrong job file or
 * environment, a {@code UserInputException} such as a damaged checkpoint, also when a task failed with it)
 * is one line on stderr and exit code 2; a failure at run time is one line and exit code 1, or 4 when it
 * was another rank's failure (a lost peer, a collective deadline). An unexpected failure is
 * {@code slipstream: rank R failed: MESSAGE} without Java class names; {@code --debug} adds the class and
 * the stack trace. Every variable that can be checked on its own ({@link EnvReader#checkAll}) is checked
 * before a command runs; an out-of-memory error is one line naming the heap and how to raise it.
 */
public final class Slipstream
{
    private static final Set<String> RUNNING_COMMANDS = Set.of("run", "local", "bench");

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    public Slipstream(final PrintStream out, final PrintStream err, final Map<String, String> env)
    {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public static void main(final String[] args)
    {
        ExitOnSignal.install();
        OneLineLogFormat.install();
        Thread.setDefaultUncaughtExceptionHandler(Slipstream::uncaught);
        final int code = new Slipstream(System.out, System.err, System.getenv()).execute(args);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /**
     * A thread of this process died: out of memory is the one line of {@link FailureLine} and the end of the
     * process (nothing can go on without memory); anything else is reported as the JVM would.
     */
    private static void uncaught(final Thread thread, final Throwable ex)
    {
        final FailureLine failure = FailureLine.of(ex, "thread " + thread.getName() + " failed: ", false);
        if (failure.line().startsWith("out of memory"))
        {
            System.err.println("slipstream: " + failure.line());
            System.err.flush();
            exitWithin(failure.code(), ExitOnSignal.GRACE_MILLIS);
        }
        System.err.print("Exception in thread \"" + thread.getName() + "\" ");
        ex.printStackTrace(System.err);
    }

    /** Exits running the shutdown hooks (they release shared memory), halting if they take over {@code millis}. */
    private static void exitWithin(final int code, final long millis)
    {
        try
        {
            final Thread watchdog = new Thread(() ->
            {
                try
                {
                    Thread.sleep(millis);
                }
                catch (final InterruptedException ignored)
                {
                    Thread.currentThread().interrupt();
                }
                Runtime.getRuntime().halt(code);
            }, "slipstream-exit-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
        }
        catch (final OutOfMemoryError noThread)
        {
            Runtime.getRuntime().halt(code);
        }
        System.exit(code);
    }

    static String overview()
    {
        return "usage: slipstream <command> [options]\n" +
            "commands:\n" +
            "  run JOB.yaml           run this process as one rank of a job (what srun starts)\n" +
            "  local -n N JOB.yaml    run a job on N ranks on this machine\n" +
            "  bench allreduce        the allreduce benchmark, on local ranks (-n N) or as one rank under srun\n" +
            "  bench train [-n N]     data-parallel MLP training: samples/s on N local ranks against 1 rank\n" +
            "  bench search [-n N]    the reference grid search on N local ranks against scikit-learn's, same grid\n" +
            "  help                   this text\n" +
            "Run 'slipstream <command> --help' for a command's options.\n";
    }

    /** Runs the command line and returns the exit code. */
    public int execute(final String[] args)
    {
        final List<String> list = Arrays.asList(args);
        final boolean debug = list.contains("--debug");
        try
        {
            if (args.length == 0)
            {
                err.print(overview());
                return ExitCode.USAGE;
            }
            final List<String> rest = list.subList(1, list.size());
            if (RUNNING_COMMANDS.contains(args[0]))
            {
                EnvReader.checkAll(env);
            }
            switch (args[0])
            {
                case "run":
                    return new RunCommand(out, err, env).execute(rest);
                case "local":
                    return new LocalCommand(out, env).execute(rest);
                case "bench":
                    return new BenchCommand(out, err, env).execute(rest);
                case "help":
                case "--help":
                case "-h":
                    out.print(overview());
                    return ExitCode.OK;
                default:
                    throw new UsageException("unknown command '" + args[0] + "'; use run, local or bench " +
                        "(slipstream --help)");
            }
        }
        catch (final RankFailedException ex)
        {
            return fail(FailureLine.of(ex.getCause(), "rank " + ex.rank() + " failed: ", debug), ex.getCause(), debug);
        }
        catch (final Exception | Error ex)
        {
            // Errors too: an out-of-memory error, also inside a class initializer, is one line naming the heap.
            return fail(FailureLine.of(ex, "failed: ", debug), ex, debug);
        }
    }

    private int fail(final FailureLine failure, final Throwable ex, final boolean debug)
    {
        err.println("slipstream: " + failure.line());
        if (debug)
        {
            ex.printStackTrace(err);
        }
        return failure.code();
    }
}
