package io.slipstream.launcher.train;

import io.slipstream.launcher.checkpoint.CheckpointStore;
import io.slipstream.launcher.local.CommandRun;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code slipstream local -n 2 examples/iris-mlp.yaml} as a user runs it: two rank JVMs over Aeron. It prints
 * the test accuracy and F1 and leaves the model, checkpoints, metrics.jsonl and summary.json in its run
 * directory; no process is left behind.
 */
class IrisMlpExampleIT
{
    private static final Pattern TEST_LINE =
        Pattern.compile("\\[rank 0] test: accuracy=([0-9.]+) .*f1_macro=([0-9.]+)");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void theExampleRunsOnTwoRankProcessesAndLeavesItsOutputs() throws Exception
    {
        final Path runDir = dir.resolve("iris-mlp");
        final Path example = CommandRun.REPOSITORY.resolve("examples").resolve("iris-mlp.yaml");
        try (CommandRun local = CommandRun.start(dir, Map.of(), CommandRun.SLIPSTREAM.toString(), "local", "-n", "2",
            "--run-dir", runDir.toString(), example.toString()))
        {
            final List<ProcessHandle> tree = local.tree();
            assertEquals(0, local.waitFor(150), local.output());
            final Matcher test = TEST_LINE.matcher(local.output());
            assertTrue(test.find(), "prints test accuracy and F1:\n" + local.output());
            assertTrue(Double.parseDouble(test.group(1)) >= 0.93, "test accuracy >= 0.93: " + test.group());
            assertTrue(Double.parseDouble(test.group(2)) >= 0.9, "test macro F1 >= 0.9: " + test.group());
            for (final ProcessHandle process : tree)
            {
                assertTrue(process.onExit().get(15, TimeUnit.SECONDS) != null && !process.isAlive(),
                    "pid " + process.pid() + " ended");
            }
        }

        final MultiLayerNetwork model = ModelSerializer.restoreMultiLayerNetwork(runDir.resolve("model.zip").toFile());
        assertEquals(4, model.layerInputSize(0), "the saved model reads Iris's 4 features");
        final JsonNode summary = new ObjectMapper().readTree(runDir.resolve("summary.json").toFile());
        assertTrue(summary.get("test").get("accuracy").asDouble() >= 0.93, summary.toString());
        final List<String> metrics = Files.readAllLines(runDir.resolve(RunDirHooks.METRICS_FILE));
        assertFalse(metrics.isEmpty(), "metrics.jsonl has lines");
        assertTrue(new ObjectMapper().readTree(metrics.get(metrics.size() - 1)).has("loss"), metrics.get(0));
        try (Stream<Path> fits = Files.list(runDir.resolve("checkpoints")))
        {
            int intact = 0;
            for (final Path fit : fits.toList())
            {
                for (final Path file : new CheckpointStore(fit, 1, CheckpointStore.OnFailure.STOP, new byte[32]).checkpoints())
                {
                    CheckpointStore.read(file);
                    intact++;
                }
            }
            assertTrue(intact > 0, "the run left intact checkpoints");
        }
    }
}
