package io.slipstream.trainer.model;

import io.slipstream.trainer.data.Dataset;

/**
 * A family whose best setting is worth comparing with a simpler reference fit, e.g. self-training against its base
 * family fitted on the labeled rows only. The search reports the reference's test metrics beside the best model's.
 */
public interface ComparedToBaseline<P>
{
    Classifier fitBaseline(P params, Dataset labeledTrain, FitContext context);
}
