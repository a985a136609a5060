/**
 * An experiment's outputs: {@code cv_results.csv}, the JSON summaries, a self-contained {@code report.html}
 * (run facts, learning curves read from {@code metrics.jsonl} with jackson-databind, CV slice plots, test set,
 * feature importances), and the console summary.
 */
package io.slipstream.trainer.report;
