package io.slipstream.trainer.report;

import io.slipstream.trainer.cv.CvTable;
import io.slipstream.trainer.cv.SearchOutcome;
import io.slipstream.trainer.metrics.ConfusionMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest
{
    private static SearchOutcome outcome()
    {
        final Map<String, Object> a = new HashMap<>();
        a.put("depth", null);
        a.put("name", "x,<y>");
        final Map<String, Object> b = new HashMap<>();
        b.put("depth", 3);
        b.put("name", "z");
        final CvTable table = new CvTable(List.of(a, b), new double[][]{{0.5, 1.0}, {0.25, 0.25}},
            new double[][]{{0.1, 0.3}, {0.2, 0.2}}, new double[2][2]);
        final Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", 0.75);
        return new SearchOutcome(table, 0, metrics, ConfusionMatrix.of(2, new int[]{0, 1, 1, 0}, new int[]{0, 1, 0, 0}),
            Map.of("f0", 1.0), "/tmp/model.bin", 0.5, 0.25, 5, 0);
    }

    private static RunFacts facts()
    {
        return new RunFacts(1, 0.25, 1.0, new DataFacts(10, 8, 2, new String[]{"f0"}, new String[]{"no", "yes"},
            new long[]{6, 4}, 0));
    }

    @Test
    void cvResultsHaveScikitLearnColumnsAndQuoteCells(@TempDir final Path dir) throws Exception
    {
        final List<String> lines = Files.readAllLines(CvResultsCsv.write(outcome().table(), dir));
        assertEquals("mean_fit_time,std_fit_time,mean_score_time,param_depth,param_name,params,split0_test_score," +
            "split1_test_score,mean_test_score,std_test_score,rank_test_score", lines.get(0));
        final String[] timing = lines.get(1).split(",", 3);
        assertEquals(0.2, Double.parseDouble(timing[0]), 1e-12, "mean fit time of 0.1 and 0.3");
        assertEquals(0.1, Double.parseDouble(timing[1]), 1e-12, "their (population) standard deviation");
        assertEquals("0.0,null,\"x,<y>\",\"{depth: null, name: 'x,<y>'}\",0.5,1.0,0.75,0.25,1", timing[2]);
        assertTrue(lines.get(2).endsWith(",0.25,0.25,0.25,0.0,2"), lines.get(2));
    }

    @Test
    void summaryFilesAndPageCarryTheResults(@TempDir final Path dir) throws Exception
    {
        final ExperimentSummary summary = new ExperimentSummary("demo", "random_forest", "grid", "accuracy",
            "parallel", 2, 2, new String[]{"no", "yes"}, outcome(), 1.5, facts(), LearningCurves.NONE);
        summary.write(dir);
        for (final String name : List.of(ExperimentSummary.SUMMARY, ExperimentSummary.BEST_PARAMS,
            ExperimentSummary.TEST_METRICS, CvResultsCsv.FILE_NAME, HtmlReport.FILE_NAME))
        {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name))),
                name + " is owner-only");
        }
        try (Stream<Path> files = Files.list(dir))
        {
            assertEquals(5, files.count(), "no temporary file is left behind");
        }
        final JsonNode json = new ObjectMapper().readTree(dir.resolve(ExperimentSummary.SUMMARY).toFile());
        assertEquals(0.75, json.get("best_cv_score").asDouble());
        assertTrue(json.get("best_params").has("depth") && json.get("best_params").get("depth").isNull());
        assertEquals(4, json.get("fits").asInt());
        // Fit seconds 0.1 + 0.3 + 0.2 + 0.2 and a 0.5 s refit over 1.5 s on 2 groups.
        assertEquals(1.3, json.get("fit_and_score_seconds").asDouble(), 1e-9);
        assertEquals(1.3 / 3.0, json.get("group_utilisation").asDouble(), 1e-9);
        assertEquals(0.75, json.get("test").get("accuracy").asDouble());
        assertEquals(2, json.get("test").get("per_class").get("no").get("support").asInt());
        final String html = Files.readString(dir.resolve(HtmlReport.FILE_NAME));
        assertTrue(html.contains("<svg") && html.contains("Score by parameter value"));
        assertTrue(html.contains("x,&lt;y&gt;"));
        assertFalse(html.contains("<y>"));
        assertFalse(html.contains("<script"));
        final ByteArrayOutputStream text = new ByteArrayOutputStream();
        summary.print(new PrintStream(text, true, StandardCharsets.UTF_8), dir);
        final String printed = text.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("best CV accuracy: 0.7500 (std 0.2500)"), printed);
        assertTrue(Arrays.stream(printed.split("\n")).anyMatch(l -> l.contains("2     0")), printed);
    }

    @Test
    void aConfusionMatrixTooLargeToReadGoesToItsOwnFileNotTheConsole(@TempDir final Path dir) throws Exception
    {
        final int classes = ExperimentSummary.SHOWN_CLASSES + 10;
        final int[] actual = new int[classes];
        final int[] predicted = new int[classes];
        final String[] names = new String[classes];
        for (int c = 0; c < classes; c++)
        {
            actual[c] = c;
            predicted[c] = (c + 1) % classes;
            names[c] = "c" + c;
        }
        final SearchOutcome small = outcome();
        final SearchOutcome large = new SearchOutcome(small.table(), 0, small.testMetrics(),
            ConfusionMatrix.of(classes, actual, predicted), Map.of(), null, 0.5, 0.25, 5, 0);
        final ExperimentSummary summary = new ExperimentSummary("many", "mlp", "manual", "accuracy", "serial", 1, 1,
            names, large, 1.0, facts(), LearningCurves.NONE);
        summary.write(dir);
        final ByteArrayOutputStream text = new ByteArrayOutputStream();
        summary.print(new PrintStream(text, true, StandardCharsets.UTF_8), dir);
        final String printed = text.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("confusion matrix: 40 x 40 classes, too large to print; see " +
            dir.resolve(ExperimentSummary.CONFUSION_CSV)), printed);
        assertTrue(printed.lines().count() < 12, "the console gets a summary, not the matrix:\n" + printed);
        final List<String> csv = Files.readAllLines(dir.resolve(ExperimentSummary.CONFUSION_CSV));
        assertEquals(classes + 1, csv.size());
        assertEquals("c0,0,1" + ",0".repeat(classes - 2), csv.get(1), "actual c0 was predicted c1");
        final JsonNode json = new ObjectMapper().readTree(dir.resolve(ExperimentSummary.SUMMARY).toFile());
        assertFalse(json.get("test").has("confusion_matrix"));
        assertEquals(ExperimentSummary.CONFUSION_CSV, json.get("test").get("confusion_matrix_file").asText());
        assertTrue(Files.readString(dir.resolve(HtmlReport.FILE_NAME)).contains(ExperimentSummary.CONFUSION_CSV));
    }

    @Test
    void learningCurvesAreTheMeanLossPerEpochOfEachFitInTheMetrics(@TempDir final Path dir) throws Exception
    {
        assertTrue(LearningCurves.read(dir.resolve("absent.jsonl")).curves().isEmpty(), "no file: no curves");
        final Path file = dir.resolve(LearningCurves.METRICS_FILE);
        Files.write(file, List.of(
            "{\"fit\":{\"setting\":1,\"fold\":0,\"refit\":false},\"epoch\":0,\"step\":2,\"loss\":1.0}",
            "{\"fit\":{\"setting\":1,\"fold\":0,\"refit\":false},\"epoch\":0,\"step\":4,\"loss\":0.5}",
            "{\"fit\":{\"setting\":1,\"fold\":0,\"refit\":false},\"epoch\":1,\"step\":4,\"loss\":0.25}",
            "{\"fit\":{\"setting\":0,\"fold\":1,\"refit\":false},\"epoch\":0,\"step\":4,\"loss\":2.0}",
            "not json",
            "{\"fit\":{\"setting\":1,\"fold\":null,\"refit\":true},\"epoch\":0,\"step\":4,\"loss\":0.125}",
            "{\"epoch\":3,\"loss\":0.0625}"));
        final LearningCurves curves = LearningCurves.read(file);
        assertEquals(1, curves.skippedLines());
        final List<LearningCurves.Curve> all = curves.curves();
        assertEquals(List.of("setting 2 fold 1", "setting 1 fold 2", "refit of setting 2", "setting 1"),
            all.stream().map(LearningCurves.Curve::label).toList(), "in the order the fits first appear");
        assertArrayEquals(new int[]{0, 1}, all.get(0).epochs());
        assertArrayEquals(new double[]{0.75, 0.25}, all.get(0).loss(), 1e-12, "epoch 0: mean of 1.0 and 0.5");
        assertTrue(all.get(2).refit() && all.get(2).fold() == -1);
        assertArrayEquals(new int[]{3}, all.get(3).epochs(), "a line without a fit is the run's only fit");
    }

    @Test
    void thePageShowsRunFactsLearningCurvesAndOneSlicePerParameter(@TempDir final Path dir) throws Exception
    {
        Files.write(dir.resolve(LearningCurves.METRICS_FILE), List.of(
            "{\"fit\":{\"setting\":0,\"fold\":0,\"refit\":false},\"epoch\":0,\"loss\":1.0}",
            "{\"fit\":{\"setting\":0,\"fold\":0,\"refit\":false},\"epoch\":1,\"loss\":0.5}",
            "{\"fit\":{\"setting\":1,\"fold\":1,\"refit\":false},\"epoch\":0,\"loss\":0.9}",
            "{\"fit\":{\"setting\":0,\"fold\":null,\"refit\":true},\"epoch\":0,\"loss\":0.8}"));
        final LearningCurves curves = LearningCurves.read(dir.resolve(LearningCurves.METRICS_FILE));
        final ExperimentSummary summary = new ExperimentSummary("demo", "mlp", "grid", "accuracy", "parallel", 2, 4,
            new String[]{"no", "yes"}, outcome(), 1.5, facts(), curves);
        summary.write(dir);
        final String html = Files.readString(dir.resolve(HtmlReport.FILE_NAME));
        for (final String id : List.of("run-facts", "phase-seconds", "data-facts", "class-balance", "time-split",
            "learning-curves", "loss-curves", "validation-scores", "cv-scores", "cv-slices", "test-set",
            "feature-importances"))
        {
            assertTrue(html.contains("id=\"" + id + "\""), "panel " + id);
        }
        assertEquals(3, count(html, "<polyline class=\"curve\""), "one line per fit");
        assertEquals(2, count(html, "<circle class=\"score\""), "a validation score per cross-validation fit");
        assertTrue(html.contains("<title>setting 2 fold 2: accuracy 0.2500</title>"), "fold 2 of setting 2 scored 0.25");
        assertEquals(2, count(html, "<figure class=\"slice\">"), "depth and name each get a panel");
        assertEquals(4, count(html, "<circle class=\"point\""), "two settings in each of the two panels");
        // Load 0.25 s; the search's 1.0 s less refit 0.5 and evaluation 0.25; 1.5 s of run less the search.
        assertTrue(html.contains("<tr><td class=\"l\">search</td><td>0.25</td><td>14%</td></tr>"), html);
        assertTrue(html.contains("<tr><td class=\"l\">other</td><td>0.50</td><td>29%</td></tr>"));
        assertTrue(html.contains("<tr><td class=\"l\">total</td><td>1.75</td>"));
        assertTrue(html.contains("<tr><td class=\"l\">world size (ranks)</td><td>4</td></tr>"));
        assertTrue(html.contains("<tr><td class=\"l\">yes</td><td>4</td>"), "class balance");
        assertFalse(html.contains("<script"));
        final JsonNode json = new ObjectMapper().readTree(dir.resolve(ExperimentSummary.SUMMARY).toFile());
        assertEquals(0.25, json.get("phase_seconds").get("search").asDouble(), 1e-12);
        assertEquals(1.75, json.get("phase_seconds").get("total").asDouble(), 1e-12);
        assertEquals(6, json.get("data").get("class_counts").get("no").asInt());
        assertEquals(1, json.get("nodes").asInt());
    }

    @Test
    void aFamilyWithoutEpochsGetsANoteInsteadOfCurves(@TempDir final Path dir) throws Exception
    {
        new ExperimentSummary("forest", "random_forest", "grid", "accuracy", "serial", 1, 1, new String[]{"no", "yes"},
            outcome(), 1.5, facts(), LearningCurves.NONE).write(dir);
        final String html = Files.readString(dir.resolve(HtmlReport.FILE_NAME));
        assertTrue(html.contains("id=\"learning-curves\"") && html.contains("does not train in epochs"));
        assertFalse(html.contains("<polyline"));
    }

    private static int count(final String text, final String part)
    {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1))
        {
            n++;
        }
        return n;
    }
}
