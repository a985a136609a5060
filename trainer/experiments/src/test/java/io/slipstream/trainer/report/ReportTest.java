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
            Map.of("f0", 1.0), "/tmp/model.bin", 0.5, 5, 0);
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
            "parallel", 2, 2, new String[]{"no", "yes"}, outcome(), 1.5);
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
            ConfusionMatrix.of(classes, actual, predicted), Map.of(), null, 0.5, 5, 0);
        final ExperimentSummary summary = new ExperimentSummary("many", "mlp", "manual", "accuracy", "serial", 1, 1,
            names, large, 1.0);
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
}
