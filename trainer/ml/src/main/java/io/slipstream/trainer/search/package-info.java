/**
 * Hyperparameter searches: manual, grid and random (lists and ranges) over canonical settings
 * ({@code Map<String, Object>} with sorted keys), each deterministic for its seed.
 */
package io.slipstream.trainer.search;
