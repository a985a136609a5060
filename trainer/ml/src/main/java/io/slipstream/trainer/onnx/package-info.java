/**
 * ONNX export without a protobuf library: {@link io.slipstream.trainer.onnx.OnnxModel},
 * {@link io.slipstream.trainer.onnx.OnnxGraph} and {@link io.slipstream.trainer.onnx.OnnxAttribute} write the
 * subset of {@code onnx.proto} a model needs through a small protobuf wire-format writer;
 * {@link io.slipstream.trainer.onnx.Float32Thresholds} is the rule that keeps float32 tree thresholds faithful to
 * Slipstream's double comparisons; {@link io.slipstream.trainer.onnx.OnnxExportable} marks the models that export.
 */
package io.slipstream.trainer.onnx;
