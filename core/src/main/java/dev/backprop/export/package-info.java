/**
 * Exporting trained networks to other formats: {@link dev.backprop.export.OnnxExport} writes an ONNX model that
 * ONNX Runtime (or any ONNX back end) runs, with a small protobuf encoder ({@link dev.backprop.export.ProtoWriter})
 * so that the library keeps no dependencies.
 */
package dev.backprop.export;
