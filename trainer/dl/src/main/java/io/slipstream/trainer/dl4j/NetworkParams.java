package io.slipstream.trainer.dl4j;

import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Hyperparameters of the DL4J families ({@code mlp}, {@code logistic_regression}), with defaults:
 * {@code hidden_layers} ([16]; mlp only), {@code activation} ("relu"; mlp only: relu, tanh, sigmoid,
 * leakyrelu, elu), {@code updater} ("adam"; sgd, nesterovs), {@code learning_rate} (0.01), {@code epochs}
 * (100), {@code batch_size} (16 samples per rank and step; 0 = the whole shard), {@code l2} (0),
 * {@code standardize} (true: features scaled with the training set's mean and deviation).
 */
public record NetworkParams(
    int[] hiddenLayers,
    Activation activation,
    String updater,
    double learningRate,
    int epochs,
    int batchSize,
    double l2,
    boolean standardize)
{
    private static final Set<String> COMMON =
        Set.of("updater", "learning_rate", "epochs", "batch_size", "l2", "standardize");
    private static final Set<String> MLP_ONLY = Set.of("hidden_layers", "activation");

    public static NetworkParams from(final String family, final Map<String, Object> params, final boolean hidden)
    {
        final Set<String> allowed = new TreeSet<>(COMMON);
        if (hidden)
        {
            allowed.addAll(MLP_ONLY);
        }
        for (final String key : params.keySet())
        {
            if (!allowed.contains(key))
            {
                throw new IllegalArgumentException(family + " has no parameter '" + key + "'; allowed: " +
                    String.join(", ", allowed));
            }
        }
        final int[] layers = hidden ? hiddenLayers(family, params.getOrDefault("hidden_layers", List.of(16))) : new int[0];
        final Activation activation = hidden ? activation(family, params.getOrDefault("activation", "relu")) : Activation.IDENTITY;
        final String updater = choice(family, "updater", params.getOrDefault("updater", "adam"), "adam", "sgd", "nesterovs");
        final double rate = number(family, "learning_rate", params.getOrDefault("learning_rate", 0.01), 1e-9, 10);
        final int epochs = (int)integer(family, "epochs", params.getOrDefault("epochs", 100), 1, 1_000_000);
        final int batch = (int)integer(family, "batch_size", params.getOrDefault("batch_size", 16), 0, 1 << 24);
        final double l2 = number(family, "l2", params.getOrDefault("l2", 0.0), 0, 1e3);
        final Object standardize = params.getOrDefault("standardize", Boolean.TRUE);
        if (!(standardize instanceof Boolean))
        {
            throw new IllegalArgumentException(family + ".standardize must be true or false, got " + standardize);
        }
        return new NetworkParams(layers, activation, updater, rate, epochs, batch, l2, (Boolean)standardize);
    }

    /**
     * Refuses a batch larger than the {@code rows} a fit trains on: such batches cannot be drawn, and training on
     * the whole shard instead would quietly change what a step and the learning rate mean ({@code batch_size: 0}
     * asks for that explicitly).
     */
    public void checkBatch(final String family, final int rows)
    {
        checkBatch(family, batchSize, rows);
    }

    /** As {@link #checkBatch(String, int)} for a family whose parameters hold {@code batchSize}. */
    static void checkBatch(final String family, final int batchSize, final int rows)
    {
        if (batchSize > rows)
        {
            throw new IllegalArgumentException(family + ".batch_size " + batchSize + " exceeds the " + rows +
                " training rows; use at most " + rows + ", or 0 for each rank's whole shard");
        }
    }

    /** Multiply-adds of one epoch over {@code rows} rows times the epochs: the scheduler's cost of a fit. */
    public double cost(final int rows, final int features, final int classes)
    {
        double weights = 0;
        int in = Math.max(1, features);
        for (final int width : hiddenLayers)
        {
            weights += (double)in * width;
            in = width;
        }
        weights += in * (double)Math.max(2, classes);
        return weights * Math.max(1, rows) * epochs;
    }

    public IUpdater updaterConfig()
    {
        return updater(updater, learningRate);
    }

    /** The updater called {@code name} (adam, sgd, nesterovs with momentum 0.9) at {@code learningRate}. */
    static IUpdater updater(final String name, final double learningRate)
    {
        switch (name)
        {
            case "sgd":
                return new Sgd(learningRate);
            case "nesterovs":
                return new Nesterovs(learningRate, 0.9);
            default:
                return new Adam(learningRate);
        }
    }

    private static int[] hiddenLayers(final String family, final Object value)
    {
        if (!(value instanceof List))
        {
            throw new IllegalArgumentException(family + ".hidden_layers must be a list of layer widths, e.g. [" +
                value + "] for one layer, got " + value);
        }
        final List<Object> items = new ArrayList<>((List<?>)value);
        final int[] layers = new int[items.size()];
        for (int i = 0; i < layers.length; i++)
        {
            layers[i] = (int)integer(family, "hidden_layers[" + i + "]", items.get(i), 1, 1 << 20);
        }
        return layers;
    }

    private static Activation activation(final String family, final Object value)
    {
        final String name = choice(family, "activation", value, "relu", "tanh", "sigmoid", "leakyrelu", "elu");
        return Activation.valueOf(name.toUpperCase(Locale.ROOT));
    }

    static String choice(final String family, final String key, final Object value, final String... allowed)
    {
        for (final String a : allowed)
        {
            if (a.equals(value))
            {
                return a;
            }
        }
        throw new IllegalArgumentException(family + "." + key + " is " + value + "; use one of " + String.join(", ", allowed));
    }

    static long integer(final String family, final String key, final Object value, final long min, final long max)
    {
        if (!(value instanceof Integer || value instanceof Long) || ((Number)value).longValue() < min ||
            ((Number)value).longValue() > max)
        {
            throw new IllegalArgumentException(family + "." + key + " must be an integer in " + min + ".." + max +
                ", got " + value);
        }
        return ((Number)value).longValue();
    }

    static double number(final String family, final String key, final Object value, final double min, final double max)
    {
        if (!(value instanceof Number) || !(((Number)value).doubleValue() >= min && ((Number)value).doubleValue() <= max))
        {
            throw new IllegalArgumentException(family + "." + key + " must be a number in " + min + ".." + max +
                ", got " + value);
        }
        return ((Number)value).doubleValue();
    }
}
