package io.slipstream.trainer.cv;

import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.model.Model;

/** Scores a fitted model on held-out rows; greater is better (losses are negated, as in scikit-learn). */
public interface Scorer
{
    String name();

    /** True when the score compares predictions with labels (rows without a label are then skipped). */
    boolean needsLabels();

    double score(Model model, Dataset data);
}
