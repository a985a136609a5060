package io.slipstream.launcher.train;

import io.slipstream.comm.ThreadRanks;
import io.slipstream.launcher.experiment.ExperimentJob;
import io.slipstream.launcher.experiment.ShardingSection;
import io.slipstream.launcher.signal.SignalHooks;
import io.slipstream.launcher.signal.StopFlag;
import io.slipstream.launcher.spec.SpecNode;
import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.data.ShardAssignment;
import io.slipstream.trainer.data.Iris;
import io.slipstream.trainer.dl4j.DeepModel;
import io.slipstream.trainer.dl4j.MlpFamily;
import io.slipstream.trainer.dp.StepReport;
import io.slipstream.trainer.dp.ForwardingTrainingHooks;
import io.slipstream.trainer.model.DataShape;
import io.slipstream.trainer.model.FitContext;
import io.slipstream.trainer.model.FitId;
import io.slipstream.trainer.model.RunHooks;
import io.slipstream.trainer.model.UserInputException;
import io.slipstream.trainer.state.TrainingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunDirHooksTest
{
    private static final SpecNode SPEC = SpecNode.parse(
        "name: iris\nmodel: {family: mlp}\ntraining: {progress: lines, metrics_every: 4, threads: 1}\n" +
        "checkpoint: {every_steps: 16, keep: 2}\n", "test.yaml");
    private static final Map<String, Object> PARAMS = Map.of("epochs", 6, "batch_size", 8, "hidden_layers", List.of(8));

    @TempDir
    Path root;

    /** Forwards to the run directory's hooks and raises SIGUSR1 on the stop flag after a given iteration. */
    private static final class SignalAfter extends ForwardingTrainingHooks
    {
        private final StopFlag flag;
        private final long iteration;

        SignalAfter(final RunDirHooks hooks, final StopFlag flag, final long iteration)
        {
            super(hooks);
            this.flag = flag;
            this.iteration = iteration;
        }

        @Override
        public void onStep(final StepReport report)
        {
            super.onStep(report);
            if (report.iteration() == iteration && report.rank() == 0)
            {
                flag.onSignal("USR1", 10);
            }
        }
    }

    /** Trains on 2 ranks in {@code runDir}; a stop is signalled after {@code stopAt} (-1: never). */
    private float[] train(final Path runDir, final long stopAt, final boolean expectStopped, final PrintStream out)
    {
        final Dataset iris = Iris.load();
        final StopFlag flag = new StopFlag(new PrintStream(new ByteArrayOutputStream()), TimeUnit.MINUTES.toNanos(5),
            (status) ->
            {
            });
        final float[][] params = new float[2][];
        ThreadRanks.run(2, (comm) ->
        {
            try (RunDirHooks hooks = new RunDirHooks(new SignalHooks(flag), TrainingSpec.from(SPEC),
                ShardingSection.DEFAULT, runDir, comm.rank(), 2,
                SpecHash.of(SPEC), out))
            {
                final MlpFamily mlp = new MlpFamily();
                final DeepModel model = mlp.fit(iris, mlp.parameters(PARAMS, DataShape.of(iris)),
                    new FitContext(comm, 11, new SignalAfter(hooks, flag, stopAt)));
                assertEquals(expectStopped, model.stopped());
                params[comm.rank()] = model.network().params().toFloatVector();
            }
        });
        assertArrayEquals(params[0], params[1]);
        return params[0];
    }

    @Test
    void aRunStoppedByTheSignalFlagResumesFromItsCheckpointBitIdentical() throws IOException
    {
        final PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        final float[] uninterrupted = train(root.resolve("a"), -1, false, quiet);

        final Path runDir = root.resolve("b");
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();
        final float[] stopped = train(runDir, 24, true, new PrintStream(progress, true, StandardCharsets.UTF_8));
        final TrainingState checkpoint;
        try (RunDirHooks reader = new RunDirHooks(RunHooks.NONE, TrainingSpec.from(SPEC), ShardingSection.DEFAULT,
            runDir, 0, 1,
            SpecHash.of(SPEC), quiet))
        {
            checkpoint = reader.latestCheckpoint(11).orElseThrow();
        }
        assertEquals(25, checkpoint.iteration(), "SIGUSR1 after step 24 checkpoints after step 25");
        assertArrayEquals(stopped, checkpoint.params());
        final Path checkpoints = runDir.resolve("checkpoints").resolve(RunDirHooks.fitDirectory(11));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(checkpoints)));
        try (var files = Files.list(checkpoints))
        {
            assertEquals(2, files.count(), "keep: 2 (iterations 16 and 25)");
        }
        assertTrue(progress.toString(StandardCharsets.UTF_8).contains("epoch 1/6 step 10/10 loss "), progress.toString());

        final float[] resumed = train(runDir, -1, false, quiet);
        assertArrayEquals(uninterrupted, resumed, "resumed run ends bit-identical to the uninterrupted one");

        final List<String> lines = Files.readAllLines(runDir.resolve(RunDirHooks.METRICS_FILE));
        final JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertEquals(0, first.get("epoch").asInt());
        assertEquals(4, first.get("step").asInt());
        assertEquals(16, first.get("samples").asInt(), "2 ranks x 8");
        for (final String field : new String[]{"loss", "samples_per_second", "comm_ms", "step_ms", "iteration"})
        {
            assertTrue(first.has(field), field);
        }
        final JsonNode last = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        assertEquals(60, last.get("iteration").asInt(), "6 epochs of 10 steps");
        assertFalse(lines.isEmpty());
    }

    @Test
    void everyMetricsLineAndProgressLineNamesItsFit() throws IOException
    {
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();
        final StepReport step = new StepReport();
        try (RunDirHooks hooks = new RunDirHooks(RunHooks.NONE, TrainingSpec.from(SPEC), ShardingSection.DEFAULT,
            root, 0, 1, SpecHash.of(SPEC), new PrintStream(progress, true, StandardCharsets.UTF_8)))
        {
            hooks.onStep(step.set(0, 0, 1, 2, 2, 2, 0.75, 16, 1_000_000L, 0, 0));
            hooks.fitStarting(FitId.cv(11, 108, 2, 5));
            hooks.onStep(step.set(0, 0, 1, 2, 2, 2, 0.5, 16, 1_000_000L, 0, 0));
            hooks.fitStarting(FitId.refitOf(11, 108));
            hooks.onStep(step.set(0, 0, 1, 2, 2, 2, 0.25, 16, 1_000_000L, 0, 0));
        }
        final ObjectMapper json = new ObjectMapper();
        final List<String> lines = Files.readAllLines(root.resolve(RunDirHooks.METRICS_FILE));
        assertEquals(3, lines.size());
        final String[] expected = {"{\"setting\":0,\"fold\":null,\"refit\":false}",
            "{\"setting\":11,\"fold\":2,\"refit\":false}", "{\"setting\":11,\"fold\":null,\"refit\":true}"};
        for (int i = 0; i < 3; i++)
        {
            final JsonNode line = json.readTree(lines.get(i));
            assertEquals(expected[i], line.get("fit").toString(), lines.get(i));
            assertEquals(0.75 - 0.25 * i, line.get("loss").asDouble(), lines.get(i));
        }
        final String[] shown = progress.toString(StandardCharsets.UTF_8).split(System.lineSeparator());
        assertEquals("epoch 1/1 step 2/2 loss 0.7500 16000 samples/s", shown[0]);
        assertEquals("[setting 12/108 fold 3/5] epoch 1/1 step 2/2 loss 0.5000 16000 samples/s", shown[1]);
        assertEquals("[refit] epoch 1/1 step 2/2 loss 0.2500 16000 samples/s", shown[2]);
    }

    @Test
    void theShardPlanKeepsOneEpochOrderForEveryWorldSizeAsResumesNeed()
    {
        try (RunDirHooks hooks = new RunDirHooks(RunHooks.NONE, TrainingSpec.from(SPEC), ShardingSection.DEFAULT,
            root, 1, 1, SpecHash.of(SPEC),
            new PrintStream(new ByteArrayOutputStream())))
        {
            for (int epoch = 0; epoch < 3; epoch++)
            {
                final int[] reference = globalOrder(hooks.shardAssignment(150, 1, 11), epoch);
                for (int world = 2; world <= 4; world++)
                {
                    final int[] order = globalOrder(hooks.shardAssignment(150, world, 11), epoch);
                    assertArrayEquals(Arrays.copyOf(reference, order.length), order,
                        "rank r's i-th sample is position i * " + world + " + r of the same epoch order");
                }
            }
        }
    }

    @Test
    void partitionedShardingKeepsRowsWithOneKeyOnOneRank()
    {
        final Dataset iris = Iris.load();
        final String column = iris.featureNames()[0];
        try (RunDirHooks hooks = new RunDirHooks(RunHooks.NONE, TrainingSpec.from(SPEC),
            new ShardingSection("partitioned", column), root, 1, 1, SpecHash.of(SPEC), quietStream()))
        {
            final ShardAssignment plan = hooks.shardAssignment(iris, 2, 11);
            final Map<Double, Integer> rankOfKey = new HashMap<>();
            for (int r = 0; r < 2; r++)
            {
                for (final int row : plan.samples(0, r))
                {
                    final Integer previous = rankOfKey.put(iris.feature(row, 0), r);
                    assertTrue(previous == null || previous == r, "key " + iris.feature(row, 0) + " on one rank");
                }
            }
            assertThrows(IllegalStateException.class, () -> hooks.shardAssignment(iris.size(), 2, 11),
                "a key plan needs the rows");
        }
    }

    @Test
    void onlyRandomShardingResumesACheckpointOnAnotherWorldSize()
    {
        final TrainingState twoRanks = new TrainingState(SpecHash.of(SPEC), "mlp", 2, 11, 0, 4, 64, 0,
            new float[]{1f, 2f}, new float[0]);
        for (final String strategy : new String[]{"random", "ordered", "partitioned"})
        {
            final Path runDir = root.resolve(strategy);
            final String column = strategy.equals("partitioned") ? Iris.load().featureNames()[0] : null;
            try (RunDirHooks hooks = new RunDirHooks(RunHooks.NONE, TrainingSpec.from(SPEC),
                new ShardingSection(strategy, column), runDir, 0, 1, SpecHash.of(SPEC), quietStream()))
            {
                assertTrue(hooks.saveCheckpoint(twoRanks));
                hooks.shardAssignment(Iris.load(), 2, 11);
                assertEquals(4, hooks.latestCheckpoint(11).orElseThrow().iteration(), strategy + " on 2 ranks resumes");
                hooks.shardAssignment(Iris.load(), 3, 11);
                if (strategy.equals("random"))
                {
                    assertEquals(4, hooks.latestCheckpoint(11).orElseThrow().iteration(), "random resumes on 3 ranks");
                }
                else
                {
                    final UserInputException refused =
                        assertThrows(UserInputException.class, () -> hooks.latestCheckpoint(11));
                    assertTrue(refused.getMessage().contains("written by 2 rank(s) with sharding " + strategy) &&
                        refused.getMessage().contains("resume with 2 rank(s)"), refused.getMessage());
                }
            }
        }
    }

    @Test
    void nothingIsWrittenToTheRunDirectoryBeforeTheFirstStep() throws IOException
    {
        final Path runDir = root.resolve("refused");
        try (RunDirHooks hooks = new RunDirHooks(RunHooks.NONE, TrainingSpec.from(SPEC), ShardingSection.DEFAULT,
            runDir, 0, 1, SpecHash.of(SPEC), quietStream()))
        {
            assertFalse(Files.exists(runDir), "a run refused before training leaves no metrics.jsonl");
            hooks.onStep(new StepReport().set(0, 0, 1, 1, 1, 1, 0.5, 8, 1_000_000, 0, 0));
        }
        assertEquals(1, Files.readAllLines(runDir.resolve(RunDirHooks.METRICS_FILE)).size());
    }

    @Test
    void aSpecWithoutShardingOrStrategyShardsAtRandom()
    {
        final String base = "name: t\ndata: {source: iris}\nmodel: {family: random_forest}\n";
        assertEquals(ShardingSection.DEFAULT, ExperimentJob.fromSpec(SpecNode.parse(base, "t.yaml")).sharding());
        assertEquals(ShardingSection.DEFAULT,
            ExperimentJob.fromSpec(SpecNode.parse(base + "sharding: {}\n", "t.yaml")).sharding());
        assertEquals("random", ShardingSection.DEFAULT.strategy());
    }

    private static PrintStream quietStream()
    {
        return new PrintStream(new ByteArrayOutputStream());
    }

    private static int[] globalOrder(final ShardAssignment plan, final int epoch)
    {
        final int world = plan.worldSize();
        final int perRank = plan.samples(epoch, 0).length;
        final int[] order = new int[perRank * world];
        for (int r = 0; r < world; r++)
        {
            final int[] mine = plan.samples(epoch, r);
            for (int i = 0; i < perRank; i++)
            {
                order[i * world + r] = mine[i];
            }
        }
        return order;
    }
}
