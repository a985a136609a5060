package io.slipstream.launcher.train;

import io.slipstream.comm.ThreadRanks;
import io.slipstream.launcher.job.Job;
import io.slipstream.launcher.job.JobContext;
import io.slipstream.launcher.signal.ExitCode;
import io.slipstream.launcher.signal.SignalHooks;
import io.slipstream.launcher.spec.SpecNode;
import io.slipstream.trainer.dl4j.DeepModel;
import io.slipstream.trainer.model.RunHooks;
import org.deeplearning4j.util.ModelSerializer;
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
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** examples/iris-mlp.yaml run as the CLI runs it, on 2 in-JVM ranks over comm's real world. */
class IrisMlpExampleTest
{
    private static final SpecNode SPEC = SpecNode.load(Path.of("..", "examples", "iris-mlp.yaml"));
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    @TempDir
    Path runDir;

    @Test
    void aStopRequestEndsEveryFitAndExitsWithThree()
    {
        final Job job = CheckpointedExperiment.fromSpec(SPEC);
        ThreadRanks.run(2, (comm) -> assertEquals(ExitCode.CHECKPOINTED_AND_STOPPED,
            job.run(new JobContext(comm, runDir, 42, new SignalHooks(() -> true), QUIET))));
        assertFalse(Files.exists(runDir.resolve("checkpoints")), "a fit asked to stop before it starts saves nothing");
    }

    @Test
    void theExampleReachesTheAccuracyTargetAndLeavesItsOutputs() throws IOException
    {
        final ByteArrayOutputStream printed = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        final Job job = CheckpointedExperiment.fromSpec(SPEC);
        ThreadRanks.run(2, (comm) -> assertEquals(ExitCode.OK,
            job.run(new JobContext(comm, runDir, 42, RunHooks.NONE, comm.rank() == 0 ? out : QUIET))));

        final JsonNode summary = new ObjectMapper().readTree(runDir.resolve("summary.json").toFile());
        final double accuracy = summary.get("test").get("accuracy").asDouble();
        assertTrue(accuracy >= 0.93, "test accuracy " + accuracy + "\n" + printed);
        assertNotNull(summary.get("test").get("f1_macro"));
        assertEquals(2, summary.get("world_size").asInt());

        assertFalse(Files.readAllLines(runDir.resolve(RunDirHooks.METRICS_FILE)).isEmpty());
        try (Stream<Path> files = Files.walk(runDir.resolve("checkpoints")))
        {
            final List<Path> checkpoints = files.filter((p) -> p.toString().endsWith(".ckpt")).collect(Collectors.toList());
            assertTrue(checkpoints.size() >= 3, "a checkpoint per fit: " + checkpoints);
        }
        assertNotNull(ModelSerializer.restoreMultiLayerNetworkAndNormalizer(
            runDir.resolve(DeepModel.FILE_NAME).toFile(), false).getFirst());
    }
}
