/**
 * The {@code kmeans} family: k-means++ initialisation and distributed Lloyd iterations (centroid sums and
 * counts allreduced over the group); the SSKM file format (Slipstream's cache) and the ONNX export as a distance
 * graph, the portable one.
 */
package io.slipstream.trainer.cluster;
