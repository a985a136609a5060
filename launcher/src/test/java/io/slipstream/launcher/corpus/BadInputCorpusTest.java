package io.slipstream.launcher.corpus;

import io.slipstream.launcher.checkpoint.CheckpointStore;
import io.slipstream.launcher.corpus.CaseRun.Outcome;
import io.slipstream.launcher.spec.SpecNode;
import io.slipstream.launcher.train.SpecHash;
import io.slipstream.trainer.state.TrainingState;
import io.slipstream.trainer.state.TrainingStateFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bad-input corpus ({@code src/test/resources/corpus}, see its README) through the CLI's entry point,
 * in-process: every case must exit 2 (bad input, damaged checkpoints included: the user fixes them), print exactly
 * one line on stderr (log records count as stderr lines: that is where they go in a real run) that names
 * the broken thing, print no stack trace, leave no run directory behind (checkpoint cases: none but the
 * one they resume) and nothing in {@code /dev/shm}. Damaged checkpoint cases break every file of a fit, so no
 * fallback is left; where only the newest file of a fit is corrupt the run is not refused: it falls back to
 * the previous file with one warning per fit (issue 4), which {@link #corruptNewestCheckpointFallsBackWithOneWarning}
 * checks.
 *
 * <p>Each group first runs its working base spec ({@code corpus/valid}, or the checkpoint spec's first
 * training), so a refusal is known to come from the break. Every case runs through {@link CaseRun} in this JVM with
 * its own output streams (nothing global is swapped) and a time bound ({@link #CASE_LIMIT}): a case that does not
 * end in time counts as hung and fails.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputCorpusTest
{
    private static final String EXPECT = "# expect: ";
    private static final String CORPUS_TOKEN = "@CORPUS@";
    /** Far above any case's time (refusals take milliseconds, the trainings a few seconds). */
    static final Duration CASE_LIMIT = Duration.ofSeconds(120);
    private static final AtomicInteger TRIED = new AtomicInteger();
    private static final AtomicInteger REFUSED = new AtomicInteger();
    /** Cases that broke a rule, by the first of: hung, silently accepted (exit 0), stack trace, wrong exit, other. */
    private static final Map<String, AtomicInteger> FAULTS = Map.of("hung", new AtomicInteger(),
        "silently_accepted", new AtomicInteger(), "stack_trace", new AtomicInteger(), "wrong_exit",
        new AtomicInteger(), "other", new AtomicInteger());

    @TempDir
    static Path scratch;
    private static Path corpus;
    private static Path specsDir;

    @BeforeAll
    static void findCorpusAndProbeTheCli() throws Exception
    {
        corpus = corpusDirectory();
        specsDir = Files.createDirectory(scratch.resolve("specs"));
        final Outcome smoke = run(Map.of(), scratch.resolve("runs/smoke"), "run",
            spec(corpus.resolve("valid/smoke.yaml")).toString());
        assertEquals(0, smoke.code(), "the environments' base spec must run: " + smoke.err());
        final Outcome forest = run(Map.of(), scratch.resolve("runs/forest"), "run",
            spec(corpus.resolve("valid/iris-forest-small.yaml")).toString());
        assertEquals(0, forest.code(), "the specs' base spec must run: " + forest.describe());
    }

    @AfterAll
    static void count()
    {
        System.out.println("bad-input corpus: " + TRIED.get() + " cases tried, " + REFUSED.get() +
            " refused as required");
        System.out.println("bad-input totals: tried=" + TRIED.get() + " refused_cleanly=" + REFUSED.get() +
            " hung=" + FAULTS.get("hung") + " stack_trace=" + FAULTS.get("stack_trace") + " wrong_exit=" +
            FAULTS.get("wrong_exit") + " silently_accepted=" + FAULTS.get("silently_accepted") + " other=" +
            FAULTS.get("other"));
    }

    static Stream<String> specCases() throws IOException
    {
        return names("specs", ".yaml");
    }

    static Stream<String> dataCases() throws IOException
    {
        return names("data", ".yaml");
    }

    static Stream<String> environmentCases() throws IOException
    {
        return names("environments", ".env");
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("environmentCases")
    void environmentIsRefused(final String name) throws Exception
    {
        final Path file = corpus.resolve("environments").resolve(name);
        final Map<String, String> env = new HashMap<>();
        for (final String line : Files.readAllLines(file))
        {
            if (!line.isBlank() && !line.startsWith("#"))
            {
                final int eq = line.indexOf('=');
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        final Path runDir = scratch.resolve("runs").resolve(name);
        final Outcome outcome = run(env, runDir, "run", spec(corpus.resolve("valid/smoke.yaml")).toString());
        assertRefused(name, outcome, 2, expectations(file), filesUnder(runDir));
        assertFalse(Files.exists(runDir), name + ": a refused environment must not create the run directory");
    }

    @Order(2)
    @Test
    void csvBaseRuns() throws Exception
    {
        final Outcome outcome = run(Map.of(), scratch.resolve("runs/csv-good"), "run",
            spec(corpus.resolve("valid/csv-good.yaml")).toString());
        assertEquals(0, outcome.code(), "the data cases' base spec must run: " + outcome.err());
    }

    @Order(3)
    @ParameterizedTest(name = "{0}")
    @MethodSource("specCases")
    void specIsRefused(final String name) throws Exception
    {
        refuseSpec(corpus.resolve("specs").resolve(name));
    }

    @Order(4)
    @ParameterizedTest(name = "{0}")
    @MethodSource("dataCases")
    void dataFileIsRefused(final String name) throws Exception
    {
        refuseSpec(corpus.resolve("data").resolve(name));
    }

    /** The ways a checkpoint goes bad; each is applied to every checkpoint file of a finished run. */
    enum Damage
    {
        TRUNCATED("corrupt", "no intact checkpoint"),
        BIT_FLIPPED("corrupt", "no intact checkpoint"),
        OTHER_SPEC("written for another job spec", "checkpoint-"),
        OTHER_MODEL("holds model 'logistic_regression 4-3'");

        final String[] expect;

        Damage(final String... expect)
        {
            this.expect = expect;
        }
    }

    @Order(5)
    @ParameterizedTest(name = "{0}")
    @EnumSource(Damage.class)
    void damagedCheckpointIsRefused(final Damage damage) throws Exception
    {
        final Path job = spec(corpus.resolve("checkpoints/iris-mlp-tiny.yaml"));
        final Path runDir = scratch.resolve("runs/checkpoint-" + damage.name().toLowerCase());
        final Outcome first = run(Map.of(), runDir, "run", job.toString());
        assertEquals(0, first.code(), "the checkpoint spec must train: " + first.err());
        final List<Path> files = checkpointFiles(runDir);
        assertFalse(files.isEmpty(), "the first training left no checkpoints in " + runDir);
        final byte[] otherSpec = SpecHash.of(SpecNode.load(corpus.resolve("checkpoints/iris-mlp-other.yaml")));
        for (final Path file : files)
        {
            damage(file, damage, otherSpec);
        }
        final Outcome outcome = run(Map.of(), runDir, "run", job.toString());
        assertRefused("checkpoint-" + damage, outcome, 2, List.of(damage.expect), List.of());
    }

    @Order(6)
    @Test
    void corruptNewestCheckpointFallsBackWithOneWarning() throws Exception
    {
        final Path job = spec(corpus.resolve("checkpoints/iris-mlp-tiny.yaml"));
        final Path runDir = scratch.resolve("runs/checkpoint-fallback");
        final Outcome first = run(Map.of(), runDir, "run", job.toString());
        assertEquals(0, first.code(), "the checkpoint spec must train: " + first.err());
        final Map<Path, Path> newestOfFit = new HashMap<>();
        for (final Path file : checkpointFiles(runDir))
        {
            newestOfFit.put(file.getParent(), file);
        }
        assertFalse(newestOfFit.isEmpty(), "the first training left no checkpoints in " + runDir);
        for (final Path newest : newestOfFit.values())
        {
            damage(newest, Damage.BIT_FLIPPED, null);
        }
        final Outcome outcome = run(Map.of(), runDir, "run", job.toString());
        assertEquals(0, outcome.code(), "a fallback to an intact checkpoint resumes: " + outcome.err());
        final List<String> warnings = outcome.logRecords().stream().filter((r) -> r.startsWith("WARNING ")).toList();
        assertEquals(newestOfFit.size(), warnings.size(), "one warning per fit: " + outcome.logRecords());
        for (final String warning : warnings)
        {
            assertTrue(warning.contains("corrupt") && warning.contains("falling back to checkpoint-"), warning);
        }
    }

    private void refuseSpec(final Path file) throws Exception
    {
        final String name = file.getFileName().toString();
        final Path runDir = scratch.resolve("runs").resolve(name);
        final Outcome outcome = run(Map.of(), runDir, "run", spec(file).toString());
        assertRefused(name, outcome, 2, expectations(file), filesUnder(runDir));
    }

    /** Checks every rule and fails with all broken ones: no case is skipped. */
    private static void assertRefused(
        final String name, final Outcome outcome, final int code, final List<String> expect, final List<String> litter)
    {
        TRIED.incrementAndGet();
        final List<String> lines = outcome.errLines();
        System.out.println("corpus " + name + ": exit " + outcome.code() + ": " +
            (lines.isEmpty() ? "" : lines.get(0)));
        final List<String> broken = new ArrayList<>(CaseRun.broken(outcome, code, expect));
        if (!litter.isEmpty())
        {
            broken.add("left in the run directory: " + litter);
        }
        if (!broken.isEmpty())
        {
            FAULTS.get(outcome.hung() ? "hung" : outcome.code() == 0 ? "silently_accepted" :
                broken.contains("a stack trace") ? "stack_trace" : outcome.code() != code ? "wrong_exit" : "other")
                .incrementAndGet();
        }
        assertEquals(List.of(), broken, name + ": " + outcome.describe());
        REFUSED.incrementAndGet();
    }

    private static void damage(final Path file, final Damage damage, final byte[] otherSpec) throws IOException
    {
        switch (damage)
        {
            case TRUNCATED:
            {
                final byte[] bytes = Files.readAllBytes(file);
                Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
                break;
            }
            case BIT_FLIPPED:
            {
                final byte[] bytes = Files.readAllBytes(file);
                bytes[bytes.length / 2] ^= 0x10;
                Files.write(file, bytes);
                break;
            }
            case OTHER_SPEC:
                rewrite(file, CheckpointStore.read(file).withSpecHash(otherSpec));
                break;
            default:
            {
                final TrainingState s = CheckpointStore.read(file);
                rewrite(file, new TrainingState(s.specHash(), "logistic_regression 4-3", s.worldSize(), s.seed(),
                    s.epoch(), s.iteration(), s.samplesInEpoch(), s.skippedSteps(), new float[15], new float[0]));
                break;
            }
        }
    }

    private static void rewrite(final Path file, final TrainingState state) throws IOException
    {
        try (OutputStream out = Files.newOutputStream(file))
        {
            TrainingStateFormat.write(state, out);
        }
    }

    private static List<Path> checkpointFiles(final Path runDir) throws IOException
    {
        try (Stream<Path> walk = Files.walk(runDir))
        {
            return walk.filter((p) -> p.getFileName().toString().endsWith(".ckpt")).sorted().toList();
        }
    }

    /** The case's {@code # expect:} lines. */
    private static List<String> expectations(final Path file) throws IOException
    {
        final List<String> expect = new ArrayList<>();
        // Bytes as Latin-1, so a case that is not UTF-8 on purpose can still say what it expects.
        for (final String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1))
        {
            if (line.startsWith(EXPECT))
            {
                expect.add(line.substring(EXPECT.length()).trim());
            }
        }
        assertFalse(expect.isEmpty(), file + " has no '" + EXPECT + "' line");
        return expect;
    }

    /** A copy of {@code file} with {@code @CORPUS@} replaced by the corpus directory. */
    private static Path spec(final Path file) throws IOException
    {
        // Latin-1 keeps every byte as it is: the non-UTF-8 cases stay what they are.
        final String text = Files.readString(file, StandardCharsets.ISO_8859_1)
            .replace(CORPUS_TOKEN, corpus.toString());
        final Path copy = specsDir.resolve(corpus.relativize(file).toString().replace('/', '_'));
        Files.writeString(copy, text, StandardCharsets.ISO_8859_1);
        return copy;
    }

    private static Stream<String> names(final String group, final String suffix) throws IOException
    {
        try (Stream<Path> list = Files.list(corpusDirectory().resolve(group)))
        {
            return list.map((p) -> p.getFileName().toString()).filter((n) -> n.endsWith(suffix)).sorted().toList()
                .stream();
        }
    }

    private static Path corpusDirectory()
    {
        try
        {
            return Path.of(BadInputCorpusTest.class.getResource("/corpus/README.md").toURI()).getParent();
        }
        catch (final URISyntaxException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static List<String> filesUnder(final Path dir) throws IOException
    {
        if (!Files.exists(dir))
        {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir))
        {
            return walk.filter(Files::isRegularFile).map((p) -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    /** Runs the CLI in this JVM with {@code env} as the whole environment and {@code --run-dir runDir}, time-bound. */
    private static Outcome run(final Map<String, String> env, final Path runDir, final String... args)
        throws IOException, InterruptedException
    {
        final List<String> argv = new ArrayList<>(List.of(args));
        argv.add("--run-dir");
        argv.add(runDir.toString());
        return CaseRun.inProcess(env, CASE_LIMIT, argv.toArray(new String[0]));
    }
}
