package io.slipstream.trainer.cv;

import io.slipstream.trainer.metrics.ConfusionMatrix;

import java.util.Map;

/**
 * What a search found: the CV table, the best setting, the refitted model's test metrics (in insertion
 * order), its confusion matrix on the test set ({@code null} for clustering), its feature importances by
 * feature name (empty when the family has none), the saved model file ({@code null} when not saved), the
 * seconds the refit and the test-set evaluation took, the scheduler's wave count, and how many tasks a resumed run took from the
 * journal instead of running them.
 */
public record SearchOutcome(CvTable table, int bestIndex, Map<String, Double> testMetrics, ConfusionMatrix confusion,
    Map<String, Double> featureImportances, String modelFile, double refitSeconds,
    double evaluateSeconds, int waves, int resumedTasks)
{
    public Map<String, Object> bestParams()
    {
        return table.setting(bestIndex);
    }

    public double bestScore()
    {
        return table.meanScore(bestIndex);
    }

    /** Cross-validation fits run: settings x folds (the refit of the best comes on top). */
    public int fits()
    {
        return table.settingCount() * table.folds();
    }
}
