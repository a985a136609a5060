package io.slipstream.launcher.experiment;

import io.slipstream.comm.ThreadRanks;
import io.slipstream.launcher.job.JobContext;
import io.slipstream.launcher.spec.SpecException;
import io.slipstream.launcher.spec.SpecNode;
import io.slipstream.trainer.model.RunHooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user's own family, compiled here from source into a jar of its own (as a user's build would make it) and found
 * through {@code META-INF/services} by its name in a job spec, then searched and cross-validated like a built-in one.
 */
class UserFamilyTest
{
    private static final String SPEC = """
        name: own-family
        data: {source: iris}
        model: {family: nearest_centroid}
        search: {strategy: grid, grid: {shrink: [0.0, 0.3, 0.9]}}
        cv: {folds: 3}
        output: {save_model: true, report: true}
        """;

    @Test
    void aFamilyFromItsOwnJarIsSearchedByNameAndCrossValidated(@TempDir final Path dir) throws Exception
    {
        try (URLClassLoader loader = new URLClassLoader(new URL[]{UserJar.nearestCentroid(dir).toUri().toURL()},
            UserFamilyTest.class.getClassLoader()))
        {
            final ModelFamilies families = ModelFamilies.load(loader);
            assertTrue(families.names().contains("nearest_centroid"), families.names().toString());
            assertTrue(families.names().contains("random_forest"), "the built-in families are still there");
            final ExperimentJob job = ExperimentJob.fromSpec(SpecNode.parse(SPEC, "own.yaml"), families);
            final Path runDir = Files.createDirectory(dir.resolve("run"));
            final PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            ThreadRanks.run(2, world -> assertEquals(0, job.run(new JobContext(world, runDir, 42, RunHooks.NONE,
                out))));
            final JsonNode summary = new ObjectMapper().readTree(runDir.resolve("summary.json").toFile());
            assertEquals("nearest_centroid", summary.get("family").asText());
            assertEquals(3 * 3, summary.get("fits").asInt(), "3 settings x 3 folds");
            assertTrue(summary.get("test").get("accuracy").asDouble() > 0.7, summary.toString());
            assertTrue(Files.isRegularFile(runDir.resolve("nearest_centroid.txt")), "the best model was saved");

            // Its own checks run at load time, with the key path, like a built-in family's.
            final SpecException bad = assertThrows(SpecException.class, () -> ExperimentJob.fromSpec(
                SpecNode.parse(SPEC.replace("[0.0, 0.3, 0.9]", "[0.0, 2]"), "own.yaml"), families));
            assertTrue(bad.getMessage().contains("shrink must be a number in [0, 1), got 2"), bad.getMessage());
        }
        // Without the jar the name is unknown, and the message lists what there is.
        final SpecException unknown = assertThrows(SpecException.class,
            () -> ExperimentJob.fromSpec(SpecNode.parse(SPEC, "own.yaml")));
        assertTrue(unknown.getMessage().contains("'nearest_centroid' is not a model family"), unknown.getMessage());
    }
}
