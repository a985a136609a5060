package io.slipstream.trainer.model;

import java.util.Map;

/** A model that can say how much each feature counted (e.g. a forest's mean decrease in impurity). */
public interface FeatureImportances
{
    /** Importance by feature name, in the data's column order; empty when the model has none to give. */
    Map<String, Double> importances();
}
