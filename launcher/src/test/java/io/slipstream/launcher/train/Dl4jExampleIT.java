package io.slipstream.launcher.train;

import io.slipstream.launcher.local.CommandRun;
import io.slipstream.trainer.dl4j.Dl4jFamily;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code slipstream local -n 2 examples/dl4j/job.yaml} as a user runs it: the network of {@code examples/dl4j/net.json}
 * (with dropout) trained data-parallel by two rank JVMs without cross-validation (about 25 s on an idle 2-core
 * machine). Both ranks end with the same parameters (each logs their digest, shown with {@code --verbose}), which are those of the saved {@code model.zip}, and plain DL4J loads it.
 */
class Dl4jExampleIT
{
    private static final Pattern DIGEST =
        Pattern.compile("\\[rank (\\d)] slipstream: INFO: dl4j fit \\w+: rank (\\d) of 2 ends with parameters sha256 (\\w+)");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void theExampleTrainsOneNetworkOnTwoRanksThatEndEqual() throws Exception
    {
        final Path runDir = dir.resolve("iris-dl4j");
        final Path example = CommandRun.REPOSITORY.resolve("examples").resolve("dl4j").resolve("job.yaml");
        final String output;
        try (CommandRun local = CommandRun.start(dir, Map.of(), CommandRun.SLIPSTREAM.toString(), "local", "-n", "2",
            "--verbose", "--run-dir", runDir.toString(), example.toString()))
        {
            assertEquals(0, local.waitFor(150), local.output());
            output = local.output();
        }
        final Map<String, String> digests = new HashMap<>();
        final Matcher line = DIGEST.matcher(output);
        while (line.find())
        {
            assertEquals(line.group(1), line.group(2), "each rank logs its own digest: " + line.group());
            assertTrue(digests.put(line.group(1), line.group(3)) == null, "one fit, one digest per rank:\n" + output);
        }
        assertEquals(2, digests.size(), "both ranks log a digest:\n" + output);
        assertEquals(digests.get("0"), digests.get("1"), "both ranks end with the same parameters");
        assertTrue(output.contains("no cross-validation: 1 fit on the training set on 2 rank(s)"), output);

        final MultiLayerNetwork model = ModelSerializer.restoreMultiLayerNetwork(runDir.resolve("model.zip").toFile());
        assertEquals(4, model.layerInputSize(0), "the saved network reads Iris's 4 features");
        assertEquals(3, model.layerSize(model.getnLayers() - 1), "and scores its 3 classes");
        assertEquals(digests.get("0"), Dl4jFamily.parameterDigest(model.params()), "model.zip holds what the ranks hold");

        final JsonNode summary = new ObjectMapper().readTree(runDir.resolve("summary.json").toFile());
        assertEquals("dl4j", summary.get("family").asText());
        assertEquals(0, summary.get("folds").asInt(), summary.toString());
        assertEquals(0, summary.get("fits").asInt(), summary.toString());
        assertTrue(summary.get("best_cv_score").isNull(), "no CV score without CV: " + summary);
        assertTrue(summary.get("test").get("accuracy").asDouble() >= 0.85, summary.toString());
    }
}
