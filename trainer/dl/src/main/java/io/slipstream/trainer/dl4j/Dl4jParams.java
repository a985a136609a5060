package io.slipstream.trainer.dl4j;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code dl4j} family's parameters, each overriding what the network's configuration (or saved network) says:
 * {@code epochs} (10), {@code batch_size} (32 samples per rank and step; 0 = each rank's whole shard),
 * {@code learning_rate} (absent: each layer's own), {@code updater} (absent: each layer's own; adam, sgd,
 * nesterovs), {@code seed} (absent: the configuration's; the weight initialisation's seed), {@code standardize}
 * (false: features as they are; true: scaled with the training set's mean and deviation). {@code updater} and
 * {@code seed} change how a network is built, so they apply to {@code config} only, not to a saved {@code init}
 * network.
 */
public record Dl4jParams(int epochs, int batchSize, Double learningRate, String updater, Long seed,
    boolean standardize)
{
    static final Set<String> KEYS = new TreeSet<>(Set.of("epochs", "batch_size", "learning_rate", "updater", "seed",
        "standardize"));
    /** Nothing overridden. */
    static final Dl4jParams DEFAULT = new Dl4jParams(10, 32, null, null, null, false);

    static Dl4jParams from(final String family, final Map<String, Object> setting)
    {
        for (final String key : setting.keySet())
        {
            if (!KEYS.contains(key))
            {
                throw new IllegalArgumentException(family + " has no parameter '" + key + "'; allowed: " +
                    String.join(", ", KEYS));
            }
        }
        final int epochs = setting.containsKey("epochs") ?
            (int)NetworkParams.integer(family, "epochs", setting.get("epochs"), 1, 1_000_000) : DEFAULT.epochs;
        final int batch = setting.containsKey("batch_size") ?
            (int)NetworkParams.integer(family, "batch_size", setting.get("batch_size"), 0, 1 << 24) : DEFAULT.batchSize;
        final Double rate = setting.get("learning_rate") == null ? null :
            NetworkParams.number(family, "learning_rate", setting.get("learning_rate"), 1e-9, 10);
        final String updater = setting.get("updater") == null ? null :
            NetworkParams.choice(family, "updater", setting.get("updater"), "adam", "sgd", "nesterovs");
        final Long seed = setting.get("seed") == null ? null :
            NetworkParams.integer(family, "seed", setting.get("seed"), Long.MIN_VALUE, Long.MAX_VALUE);
        final Object standardize = setting.getOrDefault("standardize", Boolean.FALSE);
        if (!(standardize instanceof Boolean))
        {
            throw new IllegalArgumentException(family + ".standardize must be true or false, got " + standardize);
        }
        return new Dl4jParams(epochs, batch, rate, updater, seed, (Boolean)standardize);
    }

    /** What the overrides change in the network, for the checkpoint tag ("" when nothing). */
    String overrides()
    {
        return (updater == null ? "" : " updater=" + updater) + (learningRate == null ? "" : " lr=" + learningRate) +
            (seed == null ? "" : " seed=" + seed);
    }
}
