/**
 * Exporting trained networks to other formats: {@link dev.backprop.export.OnnxExport} writes an ONNX model that
 * ONNX Runtime (or any ONNX back end) runs, with a small protobuf encoder ({@link dev.backprop.export.ProtoWriter})
 * so that the library keeps no dependencies; {@link dev.backprop.export.CExport} writes C99 in float32 and
 * {@link dev.backprop.export.FixedPointCExport} C99 in fixed point (Q15 or Q7 weights, integer arithmetic), with a
 * bit-exact Java emulation that measures its error against the float model.
 */
package dev.backprop.export;
