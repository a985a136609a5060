package io.slipstream.trainer.model;

import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.search.Distribution;

import java.util.Map;

/**
 * A learning algorithm whose hyperparameters are the record {@code P}. A setting from a job spec (names as there)
 * becomes a {@code P} once, in {@link #parameters}, which is where every bad value is refused; {@link #fit} and
 * {@link #cost} then take the record. {@link #fit} is called by every rank of {@code context.group()} with the same
 * arguments; a family that can use several ranks splits the work across the group, and every rank returns an
 * equal model. Families are found by name: the built-in ones and any listed in a jar's
 * {@code META-INF/services/io.slipstream.trainer.model.ModelFamily} (a public no-argument constructor).
 */
public interface ModelFamily<P>
{
    /** The name used in job specs, e.g. {@code random_forest}. */
    String name();

    /** True when the family learns from labels (its models are {@link Classifier}s). */
    boolean supervised();

    /**
     * {@code setting} validated and typed for data of {@code shape}; an IllegalArgumentException names the bad
     * parameter and what is allowed.
     */
    P parameters(Map<String, Object> setting, DataShape shape);

    Model fit(Dataset train, P params, FitContext context);

    /** Relative cost of one fit on data of {@code shape}, comparable within the family (the scheduler's plan). */
    double cost(P params, DataShape shape);

    /** The space {@code search.strategy: auto} samples; empty when the family has no default search. */
    default Map<String, Distribution> autoSpace()
    {
        return Map.of();
    }
}
