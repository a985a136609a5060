package io.slipstream.trainer.model;

import io.slipstream.trainer.data.Dataset;

/** A model that assigns rows to clusters around centres. */
public interface Clusterer extends Model
{
    /** Sum of squared distances of {@code data}'s rows to their nearest centre. */
    double inertia(Dataset data);
}
