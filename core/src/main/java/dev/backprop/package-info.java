/**
 * Feedforward networks trained by backpropagation: {@link dev.backprop.Network} (built with
 * {@link dev.backprop.NetworkBuilder}), its {@link dev.backprop.Dense} layers, {@link dev.backprop.Activation}s,
 * {@link dev.backprop.Cost}s, {@link dev.backprop.Init}ialisation schemes, {@link dev.backprop.Dataset}s and
 * {@link dev.backprop.Evaluation}s; a {@link dev.backprop.Predictor} serves a trained
 * network to many threads at once. Training lives in {@code dev.backprop.train}, update rules in
 * {@code dev.backprop.optim}, numeric kernels in {@code dev.backprop.kernel}.
 */
package dev.backprop;
