package io.slipstream.launcher.experiment;

import io.slipstream.launcher.spec.SpecNode;

/**
 * The {@code output} section: {@code save_model} (true: the refitted best model in the run directory, plus
 * {@code model.onnx} for a model that exports to ONNX) and
 * {@code report} (true: summary.json, best_params.json, test_metrics.json, cv_results.csv, report.html).
 */
record OutputSection(boolean saveModel, boolean report)
{
    static OutputSection parse(final SpecNode output)
    {
        output.allowOnly("save_model", "report");
        return new OutputSection(output.bool("save_model", true), output.bool("report", true));
    }
}
