/**
 * The {@code self_training} family: pseudo-labels above a confidence threshold, iterated, around any
 * supervised family.
 */
package io.slipstream.trainer.semi;
