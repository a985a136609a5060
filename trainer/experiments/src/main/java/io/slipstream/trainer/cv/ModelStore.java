package io.slipstream.trainer.cv;

import io.slipstream.trainer.model.Model;

import java.io.IOException;

/**
 * Where a search's refitted best model goes. The launcher decides the file and writes it whole; the search only
 * hands over the model, which writes itself to the stream it is given.
 */
@FunctionalInterface
public interface ModelStore
{
    /** Saves {@code model}; returns the file written, as the outcome reports it. */
    String save(Model model) throws IOException;
}
