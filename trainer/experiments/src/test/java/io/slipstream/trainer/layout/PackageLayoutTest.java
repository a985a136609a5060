package io.slipstream.trainer.layout;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trainer's layout, read from the production sources of every trainer sub-module: no package circles, each
 * package in one sub-module, sub-modules only reaching down (ml, then dl and experiments, then bench), and no
 * ND4J or DL4J in ml or experiments. A reference is any {@code io.slipstream.trainer.<package>.<Type>} in the text
 * (imports and qualified names alike).
 */
class PackageLayoutTest
{
    /** Sub-modules in the order they may depend on each other; the value lists what each may reach. */
    private static final Map<String, Set<String>> MAY_USE = Map.of(
        "ml", Set.of("ml"),
        "dl", Set.of("ml", "dl"),
        "experiments", Set.of("ml", "experiments"),
        "bench", Set.of("ml", "dl", "bench"));
    private static final Pattern REFERENCE = Pattern.compile("io\\.slipstream\\.trainer\\.([a-z0-9]+)\\.[A-Z]");
    private static final Pattern DEEP_LEARNING = Pattern.compile("\\borg\\.(nd4j|deeplearning4j|datavec)\\.");

    /** package -> module */
    private final Map<String, String> moduleOf = new TreeMap<>();
    /** package -> packages it references */
    private final Map<String, Set<String>> uses = new TreeMap<>();
    /** module -> whether any of its sources reference ND4J/DL4J */
    private final Map<String, Boolean> deepLearning = new TreeMap<>();

    PackageLayoutTest()
    {
        final Path trainer = Path.of("").toAbsolutePath().getParent();
        for (final String module : MAY_USE.keySet())
        {
            final Path root = trainer.resolve(module).resolve("src/main/java/io/slipstream/trainer");
            assertTrue(Files.isDirectory(root), "sources of trainer/" + module + " at " + root);
            deepLearning.put(module, false);
            for (final Path file : javaFiles(root))
            {
                final String pkg = root.relativize(file.getParent()).toString().replace('/', '.');
                final String previous = moduleOf.put(pkg, module);
                assertTrue(previous == null || previous.equals(module),
                    "package " + pkg + " is split between trainer/" + previous + " and trainer/" + module);
                final String text = read(file);
                final Matcher m = REFERENCE.matcher(text);
                final Set<String> used = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
                while (m.find())
                {
                    if (!m.group(1).equals(pkg))
                    {
                        used.add(m.group(1));
                    }
                }
                if (DEEP_LEARNING.matcher(text).find())
                {
                    deepLearning.put(module, true);
                }
            }
        }
    }

    @Test
    void noPackageCircles()
    {
        final List<String> circles = new ArrayList<>();
        for (final String start : uses.keySet())
        {
            findCircle(start, start, new ArrayList<>(List.of(start)), new TreeSet<>(), circles);
        }
        assertEquals(List.of(), circles, "package circles in trainer");
    }

    @Test
    void modulesOnlyReachDown()
    {
        final List<String> up = new ArrayList<>();
        uses.forEach((pkg, used) ->
        {
            for (final String target : used)
            {
                final String from = moduleOf.get(pkg);
                final String to = moduleOf.get(target);
                if (to == null || !MAY_USE.get(from).contains(to))
                {
                    up.add(pkg + " (" + from + ") -> " + target + " (" + to + ")");
                }
            }
        });
        assertEquals(List.of(), up, "references that leave a module's allowed dependencies");
    }

    @Test
    void classicMlAndExperimentsNeedNoDeepLearning()
    {
        assertEquals(false, deepLearning.get("ml"), "trainer/ml references ND4J or DL4J");
        assertEquals(false, deepLearning.get("experiments"), "trainer/experiments references ND4J or DL4J");
        assertEquals(true, deepLearning.get("dl"), "the scan sees dl's DL4J imports (it reads the right files)");
    }

    private void findCircle(final String start, final String at, final List<String> path, final Set<String> seen,
        final List<String> circles)
    {
        for (final String next : uses.getOrDefault(at, Set.of()))
        {
            if (next.equals(start))
            {
                // Report each circle once, from its smallest package name.
                if (path.stream().allMatch(p -> p.compareTo(start) >= 0))
                {
                    circles.add(String.join(" -> ", path) + " -> " + start);
                }
            }
            else if (seen.add(next))
            {
                path.add(next);
                findCircle(start, next, path, seen, circles);
                path.remove(path.size() - 1);
            }
        }
    }

    private static List<Path> javaFiles(final Path root)
    {
        try (Stream<Path> files = Files.walk(root))
        {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.readString(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
