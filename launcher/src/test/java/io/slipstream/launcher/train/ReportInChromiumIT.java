package io.slipstream.launcher.train;

import io.slipstream.launcher.local.CommandRun;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code report.html} as a browser shows it: the reference grid ({@code examples/iris-random-forest-grid.yaml}) and
 * the MLP example run through {@code slipstream local -n 2}, then headless Chromium takes a screenshot of each
 * report and dumps its DOM. The run-facts and learning-curve panels must be there as elements (the MLP's with a
 * line per fit), and the screenshot must show something (many distinct colours, a good share of non-white
 * pixels), not a blank page. Skipped, with the reason, where Chromium is not installed (CI installs it).
 */
class ReportInChromiumIT
{
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 2400;

    private static Path chromium;

    @TempDir
    Path dir;

    @BeforeAll
    static void findChromium()
    {
        for (final String name : List.of("chromium", "chromium-browser"))
        {
            for (final String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            {
                final Path candidate = Path.of(entry.isEmpty() ? "." : entry, name);
                if (chromium == null && Files.isExecutable(candidate))
                {
                    chromium = candidate;
                }
            }
        }
        Assumptions.assumeTrue(chromium != null, "chromium is not installed (no chromium or chromium-browser on " +
            "PATH); .ci/run installs the Debian package chromium for this check");
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void theReferenceGridsReportShowsRunFactsAndItsLearningCurvePanel() throws Exception
    {
        final String dom = render("iris-random-forest-grid");
        assertPanels(dom);
        assertTrue(dom.contains("does not train in epochs"), "forests have no epochs: the panel says so");
        assertTrue(dom.contains("id=\"feature-importances\""), "a forest's importances");
        assertEquals(4, count(dom, "<figure class=\"slice\">"), "a slice plot per searched parameter");
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void theMlpReportShowsALearningCurvePerFit() throws Exception
    {
        final String dom = render("iris-mlp");
        assertPanels(dom);
        assertEquals(3, count(dom, "<polyline class=\"curve\""), "2 folds and the refit each draw a loss curve");
        assertTrue(dom.contains("id=\"validation-scores\""), "beside the folds' validation scores");
    }

    private static void assertPanels(final String dom)
    {
        for (final String id : List.of("run-facts", "phase-seconds", "data-facts", "class-balance", "learning-curves",
            "cv-scores", "cv-slices", "test-set"))
        {
            assertTrue(dom.contains("id=\"" + id + "\""), "the rendered page has the element #" + id);
        }
        assertTrue(dom.contains("<td class=\"l\">world size (ranks)</td><td>2</td>"), "run facts: 2 ranks");
        assertTrue(dom.contains("150 (train 120, test 30)"), "data facts: Iris's rows");
    }

    /** Runs examples/{@code example}.yaml on 2 local ranks, renders its report; returns the DOM Chromium built. */
    private String render(final String example) throws Exception
    {
        final Path runDir = dir.resolve(example);
        try (CommandRun local = CommandRun.start(dir, Map.of(), CommandRun.SLIPSTREAM.toString(), "local", "-n", "2",
            "--run-dir", runDir.toString(), CommandRun.REPOSITORY.resolve("examples").resolve(example + ".yaml")
                .toString()))
        {
            assertEquals(0, local.waitFor(240), local.output());
        }
        final Path report = runDir.resolve("report.html");
        assertTrue(Files.isRegularFile(report), "the run wrote " + report);
        final Path png = dir.resolve(example + ".png");
        chromium(List.of("--screenshot=" + png, "--window-size=" + WIDTH + "," + HEIGHT, report.toUri().toString()),
            dir.resolve(example + ".shot.txt"));
        assertScreenshotShowsAPage(png);
        final Path dom = dir.resolve(example + ".dom.html");
        chromium(List.of("--dump-dom", report.toUri().toString()), dom);
        return Files.readString(dom, StandardCharsets.UTF_8);
    }

    /** Runs headless Chromium with {@code args}, its stdout into {@code out}; fails with its stderr. */
    private void chromium(final List<String> args, final Path out) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless",
            "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--user-data-dir=" + dir.resolve("chromium-profile")));
        command.addAll(args);
        final Path err = dir.resolve("chromium-stderr.txt");
        final Process process = new ProcessBuilder(command).directory(dir.toFile())
            .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try
        {
            assertTrue(process.waitFor(90, TimeUnit.SECONDS), "chromium still running after 90 s: " + command);
            assertEquals(0, process.exitValue(), "chromium " + args + ":\n" + Files.readString(err));
        }
        finally
        {
            process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static void assertScreenshotShowsAPage(final Path png) throws Exception
    {
        assertTrue(Files.size(png) > 0, "chromium wrote " + png);
        final BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(WIDTH, image.getWidth());
        assertEquals(HEIGHT, image.getHeight());
        final Set<Integer> colours = new HashSet<>();
        long inked = 0;
        long pixels = 0;
        for (int y = 0; y < image.getHeight(); y += 2)
        {
            for (int x = 0; x < image.getWidth(); x += 2)
            {
                final int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if (rgb != 0xffffff)
                {
                    inked++;
                }
                pixels++;
            }
        }
        assertTrue(colours.size() >= 64, "a page of text and charts, not a blank one: " + colours.size() +
            " distinct colours in " + png);
        assertTrue(inked * 100 >= pixels * 2, "at least 2% of the pixels are not white: " + inked + " of " + pixels);
    }

    private static int count(final String text, final String part)
    {
        final Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
        int n = 0;
        while (m.find())
        {
            n++;
        }
        return n;
    }
}
