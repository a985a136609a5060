package io.slipstream.trainer.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The training loss per epoch of every fit, from a run directory's {@value #METRICS_FILE}: its lines (one JSON
 * object per reported step, {@code fit: {setting, fold, refit}}, {@code epoch}, {@code loss}, ...) grouped by fit
 * in the order the fits first appear, each epoch's loss the mean of its reported steps. Lines without a
 * {@code fit} belong to the run's only fit (setting 0, no fold); lines that are not JSON objects with a numeric
 * epoch and loss are counted and left out. A run directory without the file has no curves (families that do
 * not train in epochs, such as forests, report no steps).
 */
public final class LearningCurves
{
    public static final String METRICS_FILE = "metrics.jsonl";
    /** No curves. */
    public static final LearningCurves NONE = new LearningCurves(List.of(), 0);

    private final List<Curve> curves;
    private final int skippedLines;

    /**
     * One fit's curve: setting index, fold (-1 for the refit and a run's only fit), refit flag, and the mean loss
     * of each epoch that reported steps (0-based epochs, ascending).
     */
    public record Curve(int setting, int fold, boolean refit, int[] epochs, double[] loss)
    {
        public Curve
        {
            if (epochs.length != loss.length)
            {
                throw new IllegalArgumentException(epochs.length + " epochs for " + loss.length + " losses");
            }
            epochs = epochs.clone();
            loss = loss.clone();
        }

        @Override
        public int[] epochs()
        {
            return epochs.clone();
        }

        @Override
        public double[] loss()
        {
            return loss.clone();
        }

        /** {@code setting 3 fold 2}, {@code refit of setting 3}, {@code setting 1} (1-based, as progress lines). */
        public String label()
        {
            if (refit)
            {
                return "refit of setting " + (setting + 1);
            }
            return "setting " + (setting + 1) + (fold >= 0 ? " fold " + (fold + 1) : "");
        }
    }

    private LearningCurves(final List<Curve> curves, final int skippedLines)
    {
        this.curves = List.copyOf(curves);
        this.skippedLines = skippedLines;
    }

    /** The curves of {@code file}; {@link #NONE} when there is no such file. */
    public static LearningCurves read(final Path file) throws IOException
    {
        final ObjectMapper json = new ObjectMapper();
        final Map<String, TreeMap<Integer, double[]>> byFit = new LinkedHashMap<>();
        final Map<String, int[]> ids = new LinkedHashMap<>();
        int skipped = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            String line;
            while ((line = in.readLine()) != null)
            {
                if (line.isBlank())
                {
                    continue;
                }
                final JsonNode node;
                try
                {
                    node = json.readTree(line);
                }
                catch (final JsonProcessingException ex)
                {
                    skipped++;
                    continue;
                }
                if (node == null || !node.isObject() || !node.path("epoch").canConvertToInt() ||
                    !node.path("loss").isNumber())
                {
                    skipped++;
                    continue;
                }
                final JsonNode fit = node.path("fit");
                final int setting = fit.path("setting").asInt(0);
                final int fold = fit.path("fold").isInt() ? fit.path("fold").asInt() : -1;
                final boolean refit = fit.path("refit").asBoolean(false);
                final String key = setting + "/" + fold + "/" + refit;
                ids.putIfAbsent(key, new int[]{setting, fold, refit ? 1 : 0});
                final double[] acc = byFit.computeIfAbsent(key, k -> new TreeMap<>())
                    .computeIfAbsent(node.get("epoch").asInt(), e -> new double[2]);
                acc[0] += node.get("loss").asDouble();
                acc[1]++;
            }
        }
        catch (final NoSuchFileException ex)
        {
            return NONE;
        }
        final List<Curve> curves = new ArrayList<>();
        for (final Map.Entry<String, TreeMap<Integer, double[]>> e : byFit.entrySet())
        {
            final int[] id = ids.get(e.getKey());
            final int[] epochs = new int[e.getValue().size()];
            final double[] loss = new double[epochs.length];
            int i = 0;
            for (final Map.Entry<Integer, double[]> epoch : e.getValue().entrySet())
            {
                epochs[i] = epoch.getKey();
                loss[i++] = epoch.getValue()[0] / epoch.getValue()[1];
            }
            curves.add(new Curve(id[0], id[1], id[2] == 1, epochs, loss));
        }
        return new LearningCurves(curves, skipped);
    }

    public List<Curve> curves()
    {
        return curves;
    }

    /** Lines of the file that were not step reports (and so are not in any curve). */
    public int skippedLines()
    {
        return skippedLines;
    }
}
