/**
 * Evaluation metrics with scikit-learn's definitions: confusion matrix (flat counts that allreduce),
 * accuracy/precision/recall/F1 with macro, micro and weighted averages, silhouette, adjusted Rand index.
 */
package io.slipstream.trainer.metrics;
