/**
 * The {@code random_forest} family: bootstrap CART trees grown in parallel across the ranks of a fit's
 * group and merged with an allgather, so any group size gives the same forest; its SSRF file format (Slipstream's
 * cache) and its ONNX-ML export ({@code TreeEnsembleClassifier}), the portable one.
 */
package io.slipstream.trainer.forest;
