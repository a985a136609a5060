package io.slipstream.launcher.cli;

import io.slipstream.launcher.signal.ExitCode;
import io.slipstream.trainer.cluster.KMeansModel;
import io.slipstream.trainer.data.CsvFormat;
import io.slipstream.trainer.data.CsvLoader;
import io.slipstream.trainer.data.DataException;
import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.dl4j.DeepModel;
import io.slipstream.trainer.forest.RandomForest;
import io.slipstream.trainer.model.Classifier;
import io.slipstream.trainer.model.Model;
import io.slipstream.trainer.report.OwnerOnlyFile;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.dataset.api.preprocessor.Normalizer;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code slipstream predict MODEL INPUT.csv [--output preds.csv]}: loads a saved model (a random forest's
 * {@code .ssrf}, k-means' {@code .sskm}, a DL4J {@code model.zip} with the standardiser saved inside it) and writes
 * one CSV line per input row: the predicted label (class name, class index for DL4J, or cluster), and for
 * classifiers the probability of each class. The input is a CSV with a header; a forest takes its training columns
 * by name (others, such as the label, are left out), the other kinds the columns in order, as many as they were
 * trained on. The output file is written whole and owner-only; without {@code --output} the CSV goes to stdout.
 */
@Command(name = "predict", synopsisHeading = "usage: ", optionListHeading = "%noptions:%n", sortOptions = false,
    header = "predict with a saved model (.ssrf, .sskm, model.zip) on a CSV file",
    customSynopsis = "slipstream predict MODEL INPUT.csv [--output preds.csv]",
    description = {
        "Loads MODEL from a run directory (random_forest.ssrf, kmeans.sskm or model.zip) and predicts every row of",
        "INPUT.csv (a header line, numeric cells). Writes 'prediction' and, for classifiers, 'p_<class>' columns."})
final class PredictCommand implements Leaf
{
    static final String NAME = "slipstream predict";

    private final PrintStream out;

    @Parameters(paramLabel = "MODEL INPUT.csv", arity = "0..*",
        description = "the saved model, then the rows to predict")
    private List<String> positionals = new ArrayList<>();
    @Option(names = "--output", paramLabel = "FILE", description = "write the predictions here (default: stdout)")
    private Path output;
    // Read by Slipstream.execute from the arguments as given, before any parsing.
    @Option(names = "--debug", description = "print stack traces for errors")
    private boolean debug;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    private boolean help;

    PredictCommand(final PrintStream out, final PrintStream err, final Map<String, String> env)
    {
        this.out = out;
    }

    @Override
    public int execute(final List<String> args) throws IOException
    {
        if (positionals.size() != 2)
        {
            throw new UsageException(NAME + " takes MODEL and INPUT.csv" + (positionals.isEmpty() ? ", none given" :
                ", got " + String.join(" ", positionals)) + "; see " + NAME + " --help");
        }
        final Path modelFile = Path.of(positionals.get(0));
        final Path input = Path.of(positionals.get(1));
        if (!Files.isRegularFile(modelFile))
        {
            throw new UsageException("model " + modelFile + " does not exist; give the model file of a run directory " +
                "(random_forest.ssrf, kmeans.sskm or model.zip)");
        }
        final Model model = load(modelFile);
        final Dataset rows = rows(model, input);
        final int[] predicted = model.predict(rows);
        final double[][] proba = model instanceof Classifier ? ((Classifier)model).predictProba(rows) : null;
        final String[] labels = rows.classNames();
        final StringBuilder csv = new StringBuilder("prediction");
        if (proba != null)
        {
            for (final String label : labels)
            {
                csv.append(",p_").append(label);
            }
        }
        csv.append('\n');
        for (int i = 0; i < predicted.length; i++)
        {
            csv.append(model instanceof KMeansModel ? Integer.toString(predicted[i]) : labels[predicted[i]]);
            if (proba != null)
            {
                for (final double p : proba[i])
                {
                    csv.append(',').append(String.format(Locale.ROOT, "%.6f", p));
                }
            }
            csv.append('\n');
        }
        final byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        if (output == null)
        {
            out.write(bytes);
            out.flush();
        }
        else
        {
            OwnerOnlyFile.write(output, (OutputStream stream) -> stream.write(bytes));
            out.println(NAME + ": " + predicted.length + " predictions in " + output);
        }
        return ExitCode.OK;
    }

    /** The model in {@code file}, by its kind's file name. */
    static Model load(final Path file)
    {
        final String name = file.getFileName().toString();
        try
        {
            if (name.endsWith(".ssrf"))
            {
                return RandomForest.load(file);
            }
            if (name.endsWith(".sskm"))
            {
                return KMeansModel.load(file);
            }
            if (name.endsWith(".zip"))
            {
                final Pair<MultiLayerNetwork, Normalizer> saved =
                    ModelSerializer.restoreMultiLayerNetworkAndNormalizer(file.toFile(), false);
                if (saved.getSecond() != null && !(saved.getSecond() instanceof NormalizerStandardize))
                {
                    throw new UsageException("model " + file + " holds a " +
                        saved.getSecond().getClass().getSimpleName() + " normaliser; Slipstream's DL4J models carry a standardiser or none");
                }
                return new DeepModel(saved.getFirst(), (NormalizerStandardize)saved.getSecond(), false);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            if (ex instanceof UsageException)
            {
                throw (UsageException)ex;
            }
            throw new UsageException("model " + file + " could not be read (" + ex.getMessage() + "); give a model " +
                "file a run saved, whole");
        }
        throw new UsageException("model " + file + " is not a kind Slipstream saves; give random_forest.ssrf, " +
            "kmeans.sskm or model.zip from a run directory");
    }

    /** The input rows, as many columns as the model takes, in its order; a mismatch is one line. */
    private static Dataset rows(final Model model, final Path input)
    {
        final Dataset table;
        try
        {
            table = CsvLoader.load(input, CsvFormat.unlabeled(true, ','));
        }
        catch (final DataException ex)
        {
            throw new UsageException(ex.getMessage());
        }
        final List<String> columns = Arrays.asList(table.featureNames());
        final int width;
        final int[] picked;
        if (model instanceof RandomForest)
        {
            final String[] features = ((RandomForest)model).featureNames();
            picked = new int[features.length];
            for (int f = 0; f < features.length; f++)
            {
                picked[f] = columns.indexOf(features[f]);
                if (picked[f] < 0)
                {
                    throw new UsageException(input + " has columns " + columns + " but the model was trained on " +
                        Arrays.asList(features) + "; give a CSV with those columns in its header");
                }
            }
            width = features.length;
        }
        else
        {
            width = model instanceof KMeansModel ? ((KMeansModel)model).centroid(0).length :
                inputWidth(((DeepModel)model).network());
            if (columns.size() != width)
            {
                throw new UsageException(input + " has " + columns.size() + " columns " + columns + " but the model " +
                    "takes " + width + " features; give a CSV with the training columns, in order, without the label");
            }
            picked = new int[width];
            Arrays.setAll(picked, (f) -> f);
        }
        final double[][] x = new double[table.size()][width];
        for (int i = 0; i < x.length; i++)
        {
            for (int f = 0; f < width; f++)
            {
                x[i][f] = table.feature(i, picked[f]);
            }
        }
        final String[] names = new String[width];
        Arrays.setAll(names, (f) -> columns.get(picked[f]));
        final int[] unlabeled = new int[x.length];
        Arrays.fill(unlabeled, Dataset.UNLABELED);
        return new Dataset(x, unlabeled, names, placeholderClasses(model));
    }

    /** How many values a row gives the network's first layer. */
    private static int inputWidth(final org.deeplearning4j.nn.api.Model net)
    {
        if (net instanceof ComputationGraph g)
        {
            return (int)g.layerInputSize(g.getLayers()[0].conf().getLayer().getLayerName());
        }
        return (int)((MultiLayerNetwork)net).layerInputSize(0);
    }

    /** How many class scores the network's output layer gives. */
    private static int outputWidth(final org.deeplearning4j.nn.api.Model net)
    {
        if (net instanceof ComputationGraph g)
        {
            return (int)g.layerSize(g.getOutputLayer(0).conf().getLayer().getLayerName());
        }
        final MultiLayerNetwork layers = (MultiLayerNetwork)net;
        return (int)layers.layerSize(layers.getnLayers() - 1);
    }

    /** The class names the rows carry: the forest's, the network's output count as indices, none for k-means. */
    private static String[] placeholderClasses(final Model model)
    {
        if (model instanceof RandomForest)
        {
            return ((RandomForest)model).classNames();
        }
        if (model instanceof DeepModel)
        {
            final String[] indices = new String[outputWidth(((DeepModel)model).network())];
            Arrays.setAll(indices, Integer::toString);
            return indices;
        }
        return new String[0];
    }
}
