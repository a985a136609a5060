package io.slipstream.trainer.cv;

import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.model.FitContext;
import io.slipstream.trainer.model.Model;

import java.util.Map;

/**
 * A reference model reported beside the search's best one, e.g. self-training's base family fitted on the
 * labeled rows only: fitted from the best setting on {@code labeledTrain}.
 */
@FunctionalInterface
public interface Baseline
{
    Model fit(Map<String, Object> bestSetting, Dataset labeledTrain, FitContext context);
}
