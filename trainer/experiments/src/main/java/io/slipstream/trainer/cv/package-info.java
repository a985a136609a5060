/**
 * Cross-validated search as a task graph: fit-and-score per (setting, fold), aggregate, refit the best,
 * evaluate on the test set, save; scorers for model selection; the CV table like scikit-learn's
 * {@code cv_results_}.
 */
package io.slipstream.trainer.cv;
