package io.slipstream.trainer.onnx;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A fitted model that can also write itself as an ONNX model, the portable format other tools load (ONNX Runtime
 * in Python, C++, Java, C#, the browser). A job that saves its best model writes this file, {@value #FILE_NAME},
 * beside the model's own Slipstream file.
 */
public interface OnnxExportable
{
    /** The file name a saved model's ONNX export takes in the run directory. */
    String FILE_NAME = "model.onnx";

    /**
     * Whether {@link #writeOnnx} can write this model: true unless the model wraps another one that cannot export
     * (self-training around a network, say).
     */
    default boolean exportsOnnx()
    {
        return true;
    }

    /** Writes the model as an ONNX protobuf to {@code out}, left open. */
    void writeOnnx(OutputStream out) throws IOException;
}
