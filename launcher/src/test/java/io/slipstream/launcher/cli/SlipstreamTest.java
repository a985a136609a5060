package io.slipstream.launcher.cli;

import io.slipstream.launcher.experiment.UserJar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlipstreamTest
{
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(final Map<String, String> env, final String... args)
    {
        return new Slipstream(new PrintStream(out, true), new PrintStream(err, true), env).execute(args);
    }

    private Path spec(final String text) throws IOException
    {
        final Path file = dir.resolve("job.yaml");
        Files.writeString(file, text);
        return file;
    }

    /** Bad input: exit 2 and exactly one line on stderr containing {@code expected}, no stack trace. */
    private void assertRefused(final String expected, final Map<String, String> env, final String... args)
    {
        assertEquals(2, run(env, args), err.toString());
        final String text = err.toString();
        assertEquals(1, text.lines().count(), "one line: " + text);
        assertTrue(text.contains(expected), text);
        assertFalse(text.contains("\tat "), "no stack trace without --debug");
        err.reset();
    }

    @Test
    void unknownCommandsAndOptionsAreOneLineAndExitTwo() throws IOException
    {
        final String job = spec("name: s\nworkload:\n  kind: smoke\n").toString();
        assertRefused("unknown command 'launch'", Map.of(), "launch");
        assertRefused("unknown option --bogus for 'slipstream run'", Map.of(), "run", "--bogus", job);
        assertRefused("unknown option --bogus for 'slipstream local'", Map.of(), "local", "-n", "2", "--bogus", job);
        assertRefused("needs -n N", Map.of(), "local", job);
        assertRefused("-n 0 is out of range", Map.of(), "local", "-n", "0", job);
        assertRefused("--seed 'x' is not a whole number", Map.of(), "run", "--seed", "x", job);
        assertRefused("--deadline '5x' has an unknown unit", Map.of(), "run", "--deadline", "5x", job);
        assertRefused("takes one job file", Map.of(), "run");
        assertRefused("--run-dir needs a value", Map.of(), "run", job, "--run-dir");
        assertRefused("transport 'tcp' is not known", Map.of(), "local", "-n", "2", "--transport", "tcp", job);
    }

    @Test
    void benchOptionsAreCheckedAndALoneRankPrintsTheTable()
    {
        assertRefused("needs a benchmark name: allreduce, train or search (see", Map.of(), "bench");
        assertRefused("needs a benchmark name: allreduce, train or search, not 'broadcast'", Map.of(), "bench", "broadcast");
        assertRefused("takes no file or word, got job.yaml", Map.of(), "bench", "search", "job.yaml");
        assertRefused("-n 0 is out of range", Map.of(), "bench", "search", "-n", "0");
        assertRefused("unknown option --sizes for 'slipstream bench search'", Map.of(), "bench", "search", "--sizes",
            "8:64");
        assertRefused("--sizes '4X' is not a byte count", Map.of(), "bench", "allreduce", "--sizes", "1M:4X");
        assertRefused("--op 'avg' is not known", Map.of(), "bench", "allreduce", "--op", "avg");
        assertRefused("sizes 64..8 are not allowed", Map.of(), "bench", "allreduce", "--sizes", "64:8");
        assertRefused("takes no file or word", Map.of(), "bench", "allreduce", "job.yaml");
        assertRefused("--peer mpi runs on local ranks; give -n N", Map.of(), "bench", "allreduce", "--peer", "mpi");
        assertRefused("--peer 'nccl' is not known", Map.of(), "bench", "allreduce", "-n", "2", "--peer", "nccl");
        assertRefused("compares float32 sum only", Map.of(), "bench", "allreduce", "-n", "2", "--peer", "mpi",
            "--type", "int32");
        assertEquals(0, run(Map.of(), "bench", "allreduce", "--help"));
        assertTrue(out.toString().contains("--sizes MIN:MAX"));
        out.reset();
        assertEquals(0, run(Map.of(), "bench", "allreduce", "--sizes", "8:1K", "--iterations", "3", "--warmup", "1",
            "--run-dir", dir.resolve("bench").toString()), err.toString());
        assertTrue(out.toString().contains("# slipstream allreduce: 1 ranks, FLOAT32 SUM"), out.toString());
        assertTrue(out.toString().contains("1024          256"), out.toString());
    }

    @Test
    void trainBenchOptionsAreCheckedAndALoneRankPrintsItsLine()
    {
        assertRefused("--layers '784,x,10' is not a list of widths", Map.of(), "bench", "train", "--layers", "784,x,10");
        assertRefused("layers [784, 10] are not allowed", Map.of(), "bench", "train", "--layers", "784,10");
        assertRefused("--batch 0 is out of range", Map.of(), "bench", "train", "--batch", "0");
        assertRefused("takes no file or word, got job.yaml", Map.of(), "bench", "train", "job.yaml");
        assertRefused("SLIPSTREAM_CPU_BIND='sockets' is not known; use cores", Map.of("SLIPSTREAM_CPU_BIND", "sockets"),
            "bench", "train", "-n", "2");
        assertRefused("SLIPSTREAM_IDLE: 'lazy' is not an idle mode", Map.of("SLIPSTREAM_IDLE", "lazy"),
            "bench", "train", "-n", "2");
        assertEquals(0, run(Map.of(), "bench", "train", "--layers", "6,8,3", "--batch", "4", "--steps", "2",
            "--warmup", "1", "--run-dir", dir.resolve("train").toString()), err.toString());
        assertTrue(out.toString().contains("train-scaling: ranks=1 samples_per_s="), out.toString());
    }

    @Test
    void noArgumentsPrintsTheOverviewAndExitsTwo()
    {
        assertEquals(2, run(Map.of()));
        assertTrue(err.toString().contains("usage: slipstream <command>"));
    }

    @Test
    void everyCommandHasHelp()
    {
        assertEquals(0, run(Map.of(), "run", "--help"));
        assertTrue(out.toString().contains("--coordinator HOST:PORT"));
        assertTrue(out.toString().contains("3 checkpointed and stopped"));
        assertEquals(0, run(Map.of(), "local", "--help"));
        assertTrue(out.toString().contains("usage: slipstream local -n N"));
        assertEquals(0, run(Map.of(), "bench", "search", "--help"));
        assertTrue(out.toString().contains("usage: slipstream bench search [-n N] [--run-dir DIR]"), out.toString());
        out.reset();
        // bench --help lists the benchmarks, each one line; their own options are in their own help.
        assertEquals(0, run(Map.of(), "bench", "--help"));
        assertTrue(out.toString().contains("usage: slipstream bench BENCHMARK"), out.toString());
        assertTrue(out.toString().matches("(?s).*\\n  allreduce +the allreduce benchmark.*\\n  train +data-parallel.*" +
            "\\n  search +the reference grid search.*"), out.toString());
        assertFalse(out.toString().contains("--sizes"), out.toString());
        assertEquals(0, run(Map.of(), "help"));
        assertTrue(out.toString().contains("bench search [-n N]"), out.toString());
        out.reset();
        // Required options come first in a command's help.
        assertEquals(0, run(Map.of(), "help", "local"));
        final String local = out.toString();
        assertTrue(local.indexOf("-n N ") > 0 && local.indexOf("-n N ") < local.indexOf("--run-dir DIR"), local);
    }

    @Test
    void versionCompletionAndAttachedValues() throws IOException
    {
        assertEquals(0, run(Map.of(), "--version"));
        assertTrue(out.toString().matches("slipstream \\d+\\.\\d+\\.\\d+\\S* \\(Java .*\\n"), out.toString());
        out.reset();
        assertEquals(0, run(Map.of(), "completion"));
        assertTrue(out.toString().contains("complete -F"), out.toString());
        assertTrue(out.toString().contains("(\"auto\" \"ipc\" \"udp\")"), "enum values complete: " + out);
        // --name=value is --name value; an unknown command names the ones there are.
        final String job = spec("name: s\nworkload:\n  kind: smoke\n").toString();
        assertRefused("-n 0 is out of range", Map.of(), "local", "-n=0", job);
        assertRefused("--seed 'x' is not a whole number", Map.of(), "run", "--seed=x", job);
        assertRefused("unknown option --bogus for 'slipstream run'", Map.of(), "run", "--bogus=1", job);
        assertRefused("unknown command 'local x' for 'slipstream help'", Map.of(), "help", "local", "x");
        assertRefused("takes one job file (JOB.yaml), got a b", Map.of(), "run", "a", "b");
    }

    @Test
    void badJobFilesAreOneLineNamingThePath() throws IOException
    {
        assertRefused("does not exist", Map.of(), "run", dir.resolve("nope.yaml").toString());
        assertRefused("is not valid YAML at line", Map.of(), "run", spec("name: x\nworkload: [\n").toString());
        assertRefused("workload.bogus: unknown key", Map.of(), "run",
            spec("name: x\nworkload:\n  kind: smoke\n  bogus: 1\n").toString());
        assertRefused("workload.kind: 'train' is not allowed", Map.of(), "run",
            spec("name: x\nworkload:\n  kind: train\n").toString());
        assertRefused("workload.fail.how: 'explode' is not allowed", Map.of(), "run",
            spec("name: x\nworkload:\n  fail:\n    how: explode\n").toString());
        assertRefused("name: '../x' is not a usable job name", Map.of(), "run",
            spec("name: ../x\nworkload:\n  kind: smoke\n").toString());
        assertRefused("bogus: unknown key", Map.of(), "run", spec("name: x\nbogus: 1\nmodel: {}\n").toString());
        assertRefused("data: is missing", Map.of(), "run", spec("name: x\nmodel: {family: mlp}\n").toString());
    }

    @Test
    void badEnvironmentsAreOneLine() throws IOException
    {
        final String job = spec("name: s\nworkload:\n  kind: smoke\n").toString();
        assertRefused("SLURM_NODEID", Map.of("SLURM_PROCID", "0", "SLURM_NTASKS", "2", "SLURM_LOCALID", "0",
            "SLURM_JOB_ID", "5", "SLURM_STEP_ID", "0", "SLURM_JOB_NODELIST", "n1", "SLURM_TASKS_PER_NODE", "2"), "run", job);
        assertRefused("not below the world size", Map.of("SLIPSTREAM_RANK", "3", "SLIPSTREAM_SIZE", "2"), "run", job);
        assertRefused("SLIPSTREAM_SECRET is not set", Map.of("SLIPSTREAM_RANK", "0", "SLIPSTREAM_SIZE", "2",
            "SLIPSTREAM_COORDINATOR", "127.0.0.1:1"), "run", "--run-dir", dir.resolve("r").toString(), job);
        assertRefused("SLIPSTREAM_AERON_DIR=" + dir + " holds no running media driver (no cnc.dat)",
            Map.of("SLIPSTREAM_RANK", "0", "SLIPSTREAM_SIZE", "2", "SLIPSTREAM_COORDINATOR", "127.0.0.1:1",
                "SLIPSTREAM_SECRET", "0123456789abcdef0123", "SLIPSTREAM_AERON_DIR", dir.toString()),
            "run", "--run-dir", dir.resolve("r").toString(), job);
    }

    @Test
    void aLoneRankRunsTheSmokeWorkloadInAnOwnerOnlyRunDirectory() throws IOException
    {
        final Path job = spec("name: solo\nworkload:\n  kind: smoke\n  rounds: 2\n  elements: 16\n");
        final Path runDir = dir.resolve("runs/solo");
        assertEquals(0, run(Map.of(), "run", "--run-dir", runDir.toString(), job.toString()), err.toString());
        assertTrue(out.toString().contains("smoke OK: 1 ranks, 2 rounds"), out.toString());
        assertTrue(err.toString().contains("topology from no launcher (single rank)"), err.toString());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(runDir)));
    }

    @Test
    void overridesApplyToTheSpecAndTheEffectiveSpecIsSaved() throws IOException
    {
        final Path job = spec("name: solo\nworkload:\n  kind: smoke\n  rounds: 2\n  elements: 16\n");
        final Path runDir = dir.resolve("runs/set");
        assertEquals(0, run(Map.of(), "run", "--run-dir", runDir.toString(), "--set", "workload.rounds=3",
            "--set=workload.elements=8", job.toString()), err.toString());
        assertTrue(out.toString().contains("smoke OK: 1 ranks, 3 rounds"), out.toString());
        final Path effective = runDir.resolve("spec.effective.yaml");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(effective)));
        final String text = Files.readString(effective);
        assertTrue(text.contains("rounds: 3") && text.contains("elements: 8") && text.contains("name: solo"), text);
        assertTrue(Files.readString(job).contains("rounds: 2"), "the job file itself is not changed");
        err.reset();

        assertRefused("workload.bogus: unknown key", Map.of(), "run", "--set", "workload.bogus=1", job.toString());
        assertRefused("workload.rounds: expected an integer, found 'many' (a string)", Map.of(), "run", "--set",
            "workload.rounds=many", job.toString());
        assertRefused("name: is 'solo' (a string), not a mapping", Map.of(), "run", "--set", "name.x=1", job.toString());
        assertRefused("--set 'workload' is not KEY=VALUE", Map.of(), "run", "--set", "workload", job.toString());
        assertRefused("is not a YAML value", Map.of(), "local", "-n", "2", "--set", "workload.rounds=[1,",
            job.toString());
        assertRefused("--set needs a value (KEY=VALUE)", Map.of(), "run", job.toString(), "--set");
        assertFalse(Files.exists(dir.resolve("runs/solo")), "a refused override starts nothing");
    }

    @Test
    void validateChecksSpecDataAndEnvironmentWithoutStartingRanks() throws IOException
    {
        final Path job = spec("name: v\ndata: {source: iris}\nmodel: {family: random_forest}\n" +
            "search: {strategy: grid, grid: {n_estimators: [5, 10], max_depth: [2, 3, 4]}}\ncv: {folds: 3}\n" +
            "execution: {mode: hybrid, group_size: 2}\n");
        assertEquals(0, run(Map.of(), "validate", "-n", "5", job.toString()), err.toString());
        final String text = out.toString();
        assertTrue(text.contains("is valid: job 'v'"), text);
        assertTrue(text.contains("data: 150 rows, 4 features, 3 classes (setosa, versicolor, virginica)"), text);
        assertTrue(text.contains("6 setting(s) x 3 folds = 18 fits"), text);
        assertTrue(text.contains("hybrid on 5 rank(s): 3 group(s) of 2 rank(s), each fit across its group (the last of 1)"),
            text);
        out.reset();
        assertEquals(0, run(Map.of(), "validate", "--set", "search.grid.max_depth=[5]", job.toString()));
        assertTrue(out.toString().contains("2 setting(s) x 3 folds = 6 fits"), out.toString());
        assertFalse(out.toString().contains("execution:"), "no grouping without -n");

        assertRefused("execution.group_size: 2 is larger than the 1 ranks", Map.of(), "validate", "-n", "1",
            job.toString());
        assertRefused("cv.folds: expected an integer", Map.of(), "validate", "--set", "cv.folds=many", job.toString());
        final Path csv = Files.writeString(dir.resolve("d.csv"), "a,b,y\n1,2,x\n3\n");
        final Path badData = Files.writeString(dir.resolve("bad-data.yaml"), "name: v\ndata: {source: csv, path: " + csv +
            ", label: y}\nmodel: {family: random_forest}\n");
        assertRefused("row 3 has 1 cells, expected 3", Map.of(), "validate", badData.toString());
        assertRefused("SLIPSTREAM_IDLE: 'lazy' is not an idle mode", Map.of("SLIPSTREAM_IDLE", "lazy"), "validate",
            job.toString());
        assertRefused("takes one job file (JOB.yaml), none given", Map.of(), "validate");
        assertFalse(Files.exists(Path.of("runs", "v")), "validate creates no run directory");
    }

    @Test
    void anInjectedFailureIsTheExitCode() throws IOException
    {
        final Path job = spec("name: solo\nworkload:\n  kind: smoke\n  fail:\n    rank: 0\n    exit_code: 9\n");
        assertEquals(9, run(Map.of(), "run", "--run-dir", dir.resolve("r").toString(), job.toString()));
    }

    @Test
    void yourOwnFamiliesComeFromTheClasspathOptionOfRunAndLocal() throws IOException
    {
        final Path jar = UserJar.nearestCentroid(dir.resolve("build"));
        final String text = "name: own\ndata: {source: iris}\nmodel: {family: nearest_centroid}\n" +
            "search: {strategy: grid, grid: {shrink: [0.0, 0.5]}}\ncv: {folds: 2}\n";
        final Path job = spec(text);
        assertRefused("'nearest_centroid' is not a model family", Map.of(), "run", job.toString());
        assertRefused("--classpath entry " + dir.resolve("missing.jar") + " does not exist", Map.of(), "local", "-n",
            "2", "--classpath", dir.resolve("missing.jar").toString(), job.toString());
        // The family's own checks run in 'local' before any rank starts: it was loaded from the jar.
        final Path bad = Files.writeString(dir.resolve("bad.yaml"), text.replace("[0.0, 0.5]", "[0.0, 2]"));
        assertRefused("shrink must be a number in [0, 1), got 2", Map.of(), "local", "-n", "2", "--classpath",
            jar.toString(), bad.toString());

        final Path runDir = dir.resolve("runs/own");
        assertEquals(0, run(Map.of(), "run", "--classpath", jar.toString(), "--run-dir", runDir.toString(),
            job.toString()), err.toString());
        final String summary = Files.readString(runDir.resolve("summary.json"));
        assertTrue(summary.matches("(?s).*\"family\"\\s*:\\s*\"nearest_centroid\".*"), summary);
    }

    @Test
    void durationsParse()
    {
        assertEquals(500_000_000L, CommonOptions.parseDuration("--deadline", "500ms"));
        assertEquals(90_000_000_000L, CommonOptions.parseDuration("--deadline", "90s"));
        assertEquals(120_000_000_000L, CommonOptions.parseDuration("--deadline", "2m"));
        assertEquals(3_600_000_000_000L, CommonOptions.parseDuration("--deadline", "1h"));
        assertEquals(7_000_000_000L, CommonOptions.parseDuration("--deadline", "7"));
    }
}
