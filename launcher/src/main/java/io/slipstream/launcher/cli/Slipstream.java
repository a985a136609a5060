package io.slipstream.launcher.cli;

import io.slipstream.launcher.signal.ExitCode;
import io.slipstream.launcher.signal.ExitOnSignal;
import io.slipstream.launcher.topology.EnvReader;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The {@code slipstream} command: a picocli command tree ({@link Root}) with generated help, {@code --version} and a
 * completion script; every command is parsed and its options checked before it runs. Bad input (unknown subcommand
 * or option, a wrong job file or
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
    private static final int USAGE_WIDTH = 120;

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

    /** The root of the command tree; its subcommands are the commands. */
    @Command(name = "slipstream", mixinStandardHelpOptions = true, versionProvider = Version.class,
        synopsisHeading = "usage: ", customSynopsis = "slipstream <command> [options]",
        commandListHeading = "%ncommands:%n", optionListHeading = "%noptions:%n",
        footer = "Run 'slipstream <command> --help' for a command's options.",
        subcommands = {RunCommand.class, LocalCommand.class, BenchCommand.Group.class, ValidateCommand.class,
            PredictCommand.class,
            HelpCommand.class,
            CompletionCommand.class})
    static final class Root
    {
    }

    /** {@code slipstream help [COMMAND...]}: the overview, or a command's help, on stdout. */
    @Command(name = "help", header = "this text, or a command's help (slipstream help local)")
    static final class HelpCommand
    {
        @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "the command, e.g. local or bench train")
        private List<String> names = new ArrayList<>();
    }

    /** {@code slipstream completion}: a bash/zsh completion script for the whole command tree, on stdout. */
    @Command(name = "completion", header = "print a bash/zsh completion script: source <(slipstream completion)")
    static final class CompletionCommand
    {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
        private boolean help;
    }

    /** The version from the build ({@code slipstream-version.properties}) and the JVM that runs it. */
    static final class Version implements IVersionProvider
    {
        @Override
        public String[] getVersion() throws IOException
        {
            final Properties properties = new Properties();
            try (InputStream in = Slipstream.class.getResourceAsStream("slipstream-version.properties"))
            {
                if (in != null)
                {
                    properties.load(in);
                }
            }
            return new String[] {"slipstream " + properties.getProperty("version", "(version unknown)") + " (Java " +
                Runtime.version() + ", " + System.getProperty("java.vm.name") + ")"};
        }
    }

    /** The command tree with this process's streams and environment in every command. */
    private CommandLine tree()
    {
        final CommandLine.IFactory factory = new CommandLine.IFactory()
        {
            @Override
            public <K> K create(final Class<K> type) throws Exception
            {
                final Constructor<K> constructor;
                try
                {
                    constructor = type.getDeclaredConstructor(PrintStream.class, PrintStream.class, Map.class);
                }
                catch (final NoSuchMethodException ex)
                {
                    return CommandLine.defaultFactory().create(type);
                }
                return constructor.newInstance(out, err, env);
            }
        };
        final CommandLine tree = new CommandLine(new Root(), factory);
        tree.setExpandAtFiles(false);
        tree.setOverwrittenOptionsAllowed(true);
        tree.setUsageHelpWidth(USAGE_WIDTH);
        tree.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        tree.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, (help) -> commandList(tree));
        layOut(tree);
        return tree;
    }

    /**
     * Help layout: a command's header is its line in the lists of commands, not the first line of its own help;
     * options show as {@code --name VALUE}.
     */
    private static void layOut(final CommandLine command)
    {
        final List<String> keys = new ArrayList<>(command.getHelpSectionKeys());
        keys.remove(UsageMessageSpec.SECTION_KEY_HEADER_HEADING);
        keys.remove(UsageMessageSpec.SECTION_KEY_HEADER);
        command.setHelpSectionKeys(keys);
        command.getCommandSpec().parser().separator(" ");
        for (final CommandLine sub : command.getSubcommands().values())
        {
            layOut(sub);
        }
    }

    /**
     * {@code --name=value} as {@code --name value} (help shows options as {@code --name VALUE}, which is picocli's
     * separator then), up to {@code --}; other arguments as they are.
     */
    static List<String> attachedValuesSplit(final List<String> args)
    {
        final List<String> split = new ArrayList<>();
        boolean options = true;
        for (final String arg : args)
        {
            options &= !arg.equals("--");
            final int equals = arg.indexOf('=');
            if (options && arg.startsWith("-") && equals > 1)
            {
                split.add(arg.substring(0, equals));
                split.add(arg.substring(equals + 1));
            }
            else
            {
                split.add(arg);
            }
        }
        return split;
    }

    /** The root help's list: every command (the bench ones each) with its required options and files. */
    private static String commandList(final CommandLine tree)
    {
        final StringBuilder text = new StringBuilder();
        for (final CommandLine command : leaves(tree, new ArrayList<>()))
        {
            final CommandSpec spec = command.getCommandSpec();
            final StringBuilder brief = new StringBuilder(
                spec.qualifiedName().substring(tree.getCommandName().length() + 1));
            for (final OptionSpec option : spec.options())
            {
                if (option.shortestName().equals("-n"))
                {
                    brief.append(option.required() ? " -n N" : " [-n N]");
                }
            }
            for (final PositionalParamSpec positional : spec.positionalParameters())
            {
                if (!positional.hidden())
                {
                    brief.append(' ').append(positional.paramLabel());
                }
            }
            final String[] header = spec.usageMessage().header();
            text.append(String.format("  %-24s %s%n", brief, header.length > 0 ? header[0] : ""));
        }
        return text.toString();
    }

    private static List<CommandLine> leaves(final CommandLine command, final List<CommandLine> into)
    {
        for (final CommandLine sub : command.getSubcommands().values())
        {
            if (sub.getSubcommands().isEmpty())
            {
                into.add(sub);
            }
            else
            {
                leaves(sub, into);
            }
        }
        return into;
    }

    /** Runs the command line and returns the exit code. */
    public int execute(final String[] args)
    {
        final boolean debug = Arrays.asList(args).contains("--debug");
        try
        {
            if (args.length > 0 && RUNNING_COMMANDS.contains(args[0]))
            {
                EnvReader.checkAll(env);
            }
            return dispatch(args);
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

    /**
     * Parses {@code args} with the command tree and runs the command they name; bad input is a {@link UsageException}.
     * For {@code run} and {@code local}, everything from {@code --main} or {@code -jar} on is the user program's and
     * is not parsed.
     */
    int dispatch(final String[] args) throws Exception
    {
        final CommandLine tree = tree();
        if (args.length == 0)
        {
            tree.usage(err);
            return ExitCode.USAGE;
        }
        final List<String> all = List.of(args);
        List<String> parsed = all;
        if ("run".equals(args[0]) || "local".equals(args[0]))
        {
            final int programStart = UserProgram.start(all.subList(1, all.size()));
            if (programStart >= 0)
            {
                parsed = all.subList(0, 1 + programStart);
            }
        }
        final ParseResult result;
        try
        {
            result = tree.parseArgs(attachedValuesSplit(parsed).toArray(new String[0]));
        }
        catch (final ParameterException ex)
        {
            throw new UsageException(oneLine(tree, ex));
        }
        ParseResult leaf = result;
        int depth = 0;
        while (true)
        {
            final CommandLine command = leaf.commandSpec().commandLine();
            if (leaf.isUsageHelpRequested())
            {
                command.usage(out);
                return ExitCode.OK;
            }
            if (leaf.isVersionHelpRequested())
            {
                command.printVersionHelp(out);
                return ExitCode.OK;
            }
            if (!leaf.hasSubcommand())
            {
                break;
            }
            leaf = leaf.subcommand();
            depth++;
        }
        final Object command = leaf.commandSpec().userObject();
        if (command instanceof HelpCommand)
        {
            CommandLine target = tree;
            for (final String name : ((HelpCommand)command).names)
            {
                target = target.getSubcommands().get(name);
                if (target == null)
                {
                    throw new UsageException("unknown command '" + String.join(" ", ((HelpCommand)command).names) +
                        "' for 'slipstream help'; see slipstream --help");
                }
            }
            target.usage(out);
            return ExitCode.OK;
        }
        if (command instanceof CompletionCommand)
        {
            out.print(AutoComplete.bash(tree.getCommandName(), tree));
            return ExitCode.OK;
        }
        if (!(command instanceof Leaf))
        {
            tree.usage(err);
            return ExitCode.USAGE;
        }
        return ((Leaf)command).execute(all.subList(depth, all.size()));
    }

    /** picocli's refusal as one line naming the command and pointing at its {@code --help}. */
    private static String oneLine(final CommandLine tree, final ParameterException ex)
    {
        if (ex.getCause() instanceof UsageException)
        {
            return ex.getCause().getMessage();
        }
        final CommandLine where = ex.getCommandLine();
        final String name = where.getCommandSpec().qualifiedName();
        final String see = "; see " + name + " --help";
        if (ex instanceof UnmatchedArgumentException)
        {
            final List<String> unmatched = ((UnmatchedArgumentException)ex).getUnmatched();
            final String arg = unmatched.isEmpty() ? "" : unmatched.get(0);
            if (arg.startsWith("-") && arg.length() > 1)
            {
                final int equals = arg.indexOf('=');
                return "unknown option " + (equals > 0 ? arg.substring(0, equals) : arg) + " for '" + name + "'" + see;
            }
            if (where == tree)
            {
                return "unknown command '" + arg + "'; use " + String.join(", ", tree.getSubcommands().keySet()) +
                    " (slipstream --help)";
            }
            if (!where.getSubcommands().isEmpty())
            {
                return name + " needs a benchmark name: " + String.join(", ", where.getSubcommands().keySet())
                    .replaceFirst(", ([^,]*)$", " or $1") + ", not '" + arg + "' (see " + name + " --help)";
            }
            return name + " takes no file or word, got " + String.join(" ", unmatched) + see;
        }
        if (ex instanceof MissingParameterException)
        {
            final ArgSpec missing = ((MissingParameterException)ex).getMissing().get(0);
            if (missing instanceof OptionSpec)
            {
                final OptionSpec option = (OptionSpec)missing;
                if (ex.getMessage().startsWith("Missing required option"))
                {
                    return name + " needs " + option.longestName() + " " + option.paramLabel() +
                        ("-n".equals(option.longestName()) ? ", the number of ranks" : "") + see;
                }
                return option.longestName() + " needs a value (" + option.paramLabel() + ")" + see;
            }
            return name + " needs " + missing.paramLabel() + see;
        }
        final String message = ex.getMessage();
        return name + ": " + Character.toLowerCase(message.charAt(0)) + message.substring(1) + see;
    }

    /** The only positional of {@code command}, named {@code what} in the error when there is none or more than one. */
    static String onePositional(final String command, final List<String> positionals, final String what)
    {
        if (positionals.size() != 1)
        {
            throw new UsageException(command + " takes one " + what + (positionals.isEmpty() ? ", none given" :
                ", got " + String.join(" ", positionals)) + "; see " + command + " --help");
        }
        return positionals.get(0);
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
