/**
 * Experiment jobs: the job spec's experiment sections, each parsed into one validated record, the
 * {@link io.slipstream.launcher.experiment.ModelFamilies} registry, and
 * {@link io.slipstream.launcher.experiment.ExperimentJob}, which every rank runs.
 */
package io.slipstream.launcher.experiment;
