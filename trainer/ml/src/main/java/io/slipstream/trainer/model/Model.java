package io.slipstream.trainer.model;

import io.slipstream.trainer.data.Dataset;

import java.io.IOException;
import java.nio.file.Path;

/** A fitted model. */
public interface Model
{
    /** Predicted class per row of {@code data}. */
    int[] predict(Dataset data);

    /** Class probabilities per row ({@code [rows][numClasses]}). */
    double[][] predictProba(Dataset data);

    /** Saves the model under {@code dir}; returns the file written. Formats are per family and documented. */
    Path save(Path dir) throws IOException;
}
