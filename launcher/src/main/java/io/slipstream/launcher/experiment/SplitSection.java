package io.slipstream.launcher.experiment;

import io.slipstream.launcher.spec.SpecNode;

/**
 * The {@code split} section: {@code test_fraction} (0.2) of the rows, stratified, held out for the final
 * evaluation; {@code seed} (default: the job seed).
 */
record SplitSection(double testFraction, Long seed)
{
    static SplitSection parse(final SpecNode split)
    {
        split.allowOnly("test_fraction", "seed");
        final double fraction = split.decimal("test_fraction", 0.2, 0.0, 1.0);
        if (!(fraction > 0.0 && fraction < 1.0))
        {
            throw split.error("test_fraction", fraction + " leaves no training or no test rows; allowed " +
                "strictly between 0 and 1");
        }
        return new SplitSection(fraction, split.has("seed") ? split.integer("seed") : null);
    }

    long seedOr(final long jobSeed)
    {
        return seed != null ? seed : jobSeed;
    }
}
