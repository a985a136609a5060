/**
 * Tabular data for the classic families: the {@link io.slipstream.trainer.data.Dataset} table, loaders
 * (Iris, {@link io.slipstream.trainer.data.CsvLoader}), seeded generators
 * ({@link io.slipstream.trainer.data.Blobs}, {@link io.slipstream.trainer.data.SyntheticClassification}),
 * and the seeded, stratified row plans an experiment needs: train/test split, k folds, label masking.
 * Everything here is a pure function of its inputs and seeds, so every rank computes the same rows.
 */
package io.slipstream.trainer.data;
