package io.slipstream.trainer.model;

import io.slipstream.trainer.data.Dataset;

/** A family that groups rows without labels; its fits are {@link Clusterer}s. */
public interface ClustererFamily<P> extends ModelFamily<P>
{
    @Override
    default boolean supervised()
    {
        return false;
    }

    @Override
    Clusterer fit(Dataset train, P params, FitContext context);
}
