package io.slipstream.launcher.experiment;

import io.slipstream.launcher.spec.SpecException;
import io.slipstream.launcher.spec.SpecNode;

/**
 * The {@code cv} section: stratified k-fold with {@code folds} (5), {@code shuffle} (false), {@code seed}; or no
 * cross-validation, {@code cv: none} (the same as {@code folds: 0}): the one setting is fitted on the training set
 * and evaluated on the test set.
 */
record CvSection(int folds, boolean shuffle, Long seed)
{
    static final String NONE = "none";

    /** The section at {@code key} of {@code root}: absent, {@value #NONE}, or a mapping. */
    static CvSection parse(final SpecNode root, final String key)
    {
        if (NONE.equals(root.raw(key)))
        {
            return new CvSection(0, false, null);
        }
        final SpecNode cv = root.childOrEmpty(key);
        cv.allowOnly("folds", "shuffle", "seed");
        final int folds = (int)cv.integer("folds", 5, 0, 1000);
        if (folds == 1)
        {
            throw new SpecException(cv.pathOf("folds"), "1 fold leaves nothing to validate on; use 2..1000, or 0 " +
                "(or cv: none) to fit once on the training set without cross-validation");
        }
        return new CvSection(folds, cv.bool("shuffle", false), cv.has("seed") ? cv.integer("seed") : null);
    }

    /** True for {@code cv: none} or {@code folds: 0}. */
    boolean none()
    {
        return folds == 0;
    }

    long seedOr(final long jobSeed)
    {
        return seed != null ? seed : jobSeed;
    }
}
