package io.slipstream.trainer.model;

import io.slipstream.trainer.data.Dataset;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A fitted model: it predicts one class or cluster per row and writes itself in its family's format. What else it
 * offers is said by the interfaces it implements ({@link Classifier}, {@link Clusterer}, {@link FeatureImportances},
 * {@link Diagnostics}).
 */
public interface Model
{
    /** Predicted class (or cluster) per row of {@code data}. */
    int[] predict(Dataset data);

    /** The file name this model's format is saved under (e.g. {@code model.zip}); the caller picks the folder. */
    String fileName();

    /**
     * Writes the model in its family's documented format to {@code out} (left open). Where the bytes land, and that
     * they land whole, is the caller's business.
     */
    void writeTo(OutputStream out) throws IOException;
}
