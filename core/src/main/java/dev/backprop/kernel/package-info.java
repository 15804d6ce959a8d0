/**
 * The narrow kernel interface every numeric loop goes through ({@link dev.backprop.kernel.Kernels}), the
 * vectors it works on ({@link dev.backprop.kernel.Vec}), and the scalar reference implementations in float32
 * and float64 that faster backends are tested against.
 */
package dev.backprop.kernel;
