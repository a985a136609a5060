package io.slipstream.launcher.experiment;

import io.slipstream.launcher.spec.SpecNode;

/** The {@code cv} section: stratified k-fold with {@code folds} (5), {@code shuffle} (false), {@code seed}. */
record CvSection(int folds, boolean shuffle, Long seed)
{
    static CvSection parse(final SpecNode cv)
    {
        cv.allowOnly("folds", "shuffle", "seed");
        return new CvSection((int)cv.integer("folds", 5, 2, 1000), cv.bool("shuffle", false),
            cv.has("seed") ? cv.integer("seed") : null);
    }

    long seedOr(final long jobSeed)
    {
        return seed != null ? seed : jobSeed;
    }
}
