package io.slipstream.launcher.cli;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * A user's program that {@code slipstream local --main} or {@code slipstream run --main} starts as the job's ranks:
 * {@code [--classpath CP] --main CLASS [ARGS...]} or {@code -jar APP.jar [ARGS...]} (the class from the jar's
 * {@code Main-Class}). Everything after the class or the jar is the program's own arguments. The program runs with
 * its classpath first and Slipstream's own after it, so {@code io.slipstream.api} is there even when the program's
 * classpath holds only its own classes. Checked before anything starts: each classpath entry exists, the class is
 * there and has {@code public static void main(String[])}.
 *
 * @param classpath the program's classpath entries (absolute).
 * @param mainClass the class whose {@code main} runs.
 * @param args      the program's arguments.
 */
record UserProgram(List<String> classpath, String mainClass, List<String> args)
{
    static final String MAIN = "--main";
    static final String JAR = "-jar";
    static final String CLASSPATH = "--classpath";

    /** The index in {@code args} of {@code --main} or {@code -jar}, or -1 when they start no user program. */
    static int start(final List<String> args)
    {
        for (int i = 0; i < args.size(); i++)
        {
            final String arg = args.get(i);
            if (arg.equals(MAIN) || arg.equals(JAR) || arg.startsWith(MAIN + "="))
            {
                return i;
            }
            if (arg.equals("--"))
            {
                return -1;
            }
        }
        return -1;
    }

    /**
     * The program named by {@code args} from {@code start} on, with the classes of {@code --classpath}.
     */
    static UserProgram parse(final String command, final List<String> args, final int start,
        final ClasspathOption classpathOption)
    {
        final String arg = args.get(start);
        final boolean jar = arg.equals(JAR);
        final String value;
        final int rest;
        if (arg.startsWith(MAIN + "="))
        {
            value = arg.substring(MAIN.length() + 1);
            rest = start + 1;
        }
        else
        {
            if (start + 1 >= args.size())
            {
                throw new UsageException(command + " " + arg + " needs " + (jar ? "a jar file" : "a class name") +
                    "; see " + command + " --help");
            }
            value = args.get(start + 1);
            rest = start + 2;
        }
        final List<String> classpath = new ArrayList<>();
        final String mainClass;
        if (jar)
        {
            if (classpathOption.given())
            {
                throw new UsageException(command + ": use either -jar APP.jar or --classpath CP --main CLASS, " +
                    "not both");
            }
            final Path file = existing(value, "the jar");
            classpath.add(file.toString());
            mainClass = mainClassOf(file);
        }
        else
        {
            classpath.addAll(classpathOption.entries());
            mainClass = value;
        }
        final UserProgram program = new UserProgram(List.copyOf(classpath), mainClass,
            List.copyOf(args.subList(rest, args.size())));
        program.mainMethod();
        return program;
    }

    /** The classpath the ranks run with: the program's, then Slipstream's own. */
    String rankClasspath()
    {
        final List<String> entries = new ArrayList<>(classpath);
        entries.add(System.getProperty("java.class.path"));
        return String.join(File.pathSeparator, entries);
    }

    /** The program's {@code main}, loaded (in a class loader over its classpath) but not run. */
    Method mainMethod()
    {
        final Class<?> type;
        try
        {
            type = Class.forName(mainClass, false, classLoader());
        }
        catch (final ClassNotFoundException | LinkageError ex)
        {
            throw new UsageException("class " + mainClass + " is not on the classpath " +
                (classpath.isEmpty() ? "(none given: add --classpath DIR_OR_JAR)" : String.join(File.pathSeparator,
                classpath)) + "; give the directory or jar that holds it with --classpath");
        }
        try
        {
            final Method main = type.getMethod("main", String[].class);
            if (Modifier.isStatic(main.getModifiers()))
            {
                return main;
            }
        }
        catch (final NoSuchMethodException ex)
        {
            // Reported below, with the one line for both cases.
        }
        throw new UsageException("class " + mainClass + " has no public static void main(String[]); name the class " +
            "that starts your program");
    }

    /**
     * The entries of a {@code --classpath} value, each an existing path made absolute ({@code DIR/*} entries are kept
     * as they are); a missing entry is refused in one line.
     */
    static List<String> classpathEntries(final String classpathOption)
    {
        final List<String> entries = new ArrayList<>();
        for (final String entry : classpathOption.split(File.pathSeparator))
        {
            if (!entry.isEmpty())
            {
                entries.add(entry.endsWith("*") ? entry : existing(entry, "--classpath entry").toString());
            }
        }
        if (entries.isEmpty())
        {
            throw new UsageException("--classpath is empty; give the directories or jars of your classes, separated " +
                "by " + File.pathSeparator);
        }
        return List.copyOf(entries);
    }

    /** A loader over the program's classpath whose parent is Slipstream's own. */
    ClassLoader classLoader()
    {
        return loaderOver(classpath);
    }

    /** A loader over {@code classpath} (entries as {@link #classpathEntries} gives them) whose parent is Slipstream's own. */
    static ClassLoader loaderOver(final List<String> classpath)
    {
        final List<URL> urls = new ArrayList<>();
        for (final String entry : classpath)
        {
            try
            {
                if (entry.endsWith("*"))
                {
                    final File dir = new File(entry.substring(0, entry.length() - 1));
                    final File[] jars = dir.listFiles((d, name) -> name.endsWith(".jar"));
                    if (jars != null)
                    {
                        for (final File jar : jars)
                        {
                            urls.add(jar.toURI().toURL());
                        }
                    }
                }
                else
                {
                    urls.add(Path.of(entry).toUri().toURL());
                }
            }
            catch (final MalformedURLException ex)
            {
                throw new UsageException("classpath entry " + entry + " is not a path: " + ex.getMessage());
            }
        }
        return new URLClassLoader(urls.toArray(new URL[0]), UserProgram.class.getClassLoader());
    }

    private static Path existing(final String path, final String what)
    {
        final Path file = Path.of(path).toAbsolutePath().normalize();
        if (!Files.exists(file))
        {
            throw new UsageException(what + " " + path + " does not exist; build your program first (e.g. mvn " +
                "package) or fix the path");
        }
        return file;
    }

    private static String mainClassOf(final Path jar)
    {
        try (JarFile file = new JarFile(jar.toFile()))
        {
            final Manifest manifest = file.getManifest();
            final String main = manifest == null ? null : manifest.getMainAttributes().getValue("Main-Class");
            if (main == null || main.isBlank())
            {
                throw new UsageException(jar + " names no Main-Class in its manifest; use --classpath " + jar +
                    " --main CLASS instead");
            }
            return main.trim();
        }
        catch (final IOException ex)
        {
            throw new UsageException(jar + " is not a readable jar (" + ex.getMessage() + "); rebuild it");
        }
    }
}
