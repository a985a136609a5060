package io.slipstream.trainer.model;

import io.slipstream.trainer.data.Dataset;

import java.util.Map;

/**
 * A learning algorithm with named hyperparameters. {@link #fit} is called by every rank of
 * {@code context.group()} with the same arguments; a family that can use several ranks (data-parallel
 * DL4J, trees grown in parallel) splits the work across the group, and every rank returns an equal model.
 */
public interface ModelFamily
{
    /** The name used in job specs, e.g. {@code random_forest}. */
    String name();

    Model fit(Dataset train, Map<String, Object> params, FitContext context);
}
