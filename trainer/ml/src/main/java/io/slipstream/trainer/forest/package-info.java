/**
 * The {@code random_forest} family: bootstrap CART trees grown in parallel across the ranks of a fit's
 * group and merged with an allgather, so any group size gives the same forest; its SSRF file format.
 */
package io.slipstream.trainer.forest;
