/**
 * The {@code kmeans} family: k-means++ initialisation and distributed Lloyd iterations (centroid sums and
 * counts allreduced over the group).
 */
package io.slipstream.trainer.cluster;
