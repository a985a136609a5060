package io.slipstream.trainer.model;

import io.slipstream.trainer.data.Dataset;

/** A family that learns from labels; its fits are {@link Classifier}s. Unlabeled rows carry no label to learn. */
public interface ClassifierFamily<P> extends ModelFamily<P>
{
    @Override
    default boolean supervised()
    {
        return true;
    }

    @Override
    Classifier fit(Dataset train, P params, FitContext context);
}
