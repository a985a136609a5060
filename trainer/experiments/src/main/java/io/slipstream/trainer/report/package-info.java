/**
 * An experiment's outputs: {@code cv_results.csv}, the JSON summaries (ND4J's shaded Jackson), a
 * self-contained {@code report.html}, and the console summary.
 */
package io.slipstream.trainer.report;
