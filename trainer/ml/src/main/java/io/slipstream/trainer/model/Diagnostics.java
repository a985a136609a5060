package io.slipstream.trainer.model;

import java.util.Map;

/** A model with figures about its own fit worth reporting beside its test metrics (e.g. self-training's rounds). */
public interface Diagnostics
{
    /** Named figures, in the order to report them. */
    Map<String, Double> diagnostics();
}
