package dev.backprop;

import dev.backprop.kernel.Kernels;
import dev.backprop.kernel.Vec;

/**
 * One fully connected layer of a {@link Network}: z = W·y + b, a = f(z), with W stored out×in (row o holds the
 * weights into unit o). Its W and b are views of the network's flat parameter vector, and dW, db views of the
 * flat gradient vector at the same offsets.
 *
 * <p>On a mini-batch of m examples the layer works on matrices whose rows are examples: Y (m×in),
 * Z = Y·Wᵀ + 1·bᵀ (m×out), A = f(Z). Backward, given Δ = ∂J/∂Z (m×out), it accumulates
 * ∂J/∂W += Δᵀ·Y and ∂J/∂b += Σ_rows Δ, and hands down ∂J/∂Y = Δ·W, which the layer below turns into its own
 * Δ = f'(Z) ⊙ ∂J/∂Y (the two in one call, {@link Kernels#propagateDelta}). These are the textbook equations
 * δ_n = f'(z_n) ⊙ W_nᵀ δ_{n+1}, ∂C/∂W_n = δ_{n+1} y_nᵀ, ∂C/∂b_n = δ_{n+1}, summed over the examples of the batch.
 */
public final class Dense {
    private final int index;
    private final int inputs;
    private final int outputs;
    private final Activation activation;
    private final boolean bias;
    private final int offset;
    private final Vec weights;
    private final Vec biases;
    private final Vec weightGradient;
    private final Vec biasGradient;
    private boolean frozen;

    Dense(int index, int inputs, LayerSpec spec, int offset, Vec params, Vec grads) {
        this.index = index;
        this.inputs = inputs;
        this.outputs = spec.outputs();
        this.activation = spec.activation();
        this.bias = spec.bias();
        this.offset = offset;
        int nw = inputs * outputs;
        int nb = bias ? outputs : 0;
        this.weights = params.view(offset, nw);
        this.biases = params.view(offset + nw, nb);
        this.weightGradient = grads.view(offset, nw);
        this.biasGradient = grads.view(offset + nw, nb);
    }

    /** Position of this layer in the network, from 0 (the layer that reads the inputs). */
    public int index() {
        return index;
    }

    /** Width of the layer's input y. */
    public int inputs() {
        return inputs;
    }

    /** Number of units, the width of z and a. */
    public int outputs() {
        return outputs;
    }

    /** The activation f. */
    public Activation activation() {
        return activation;
    }

    /** Whether the layer has a bias vector. */
    public boolean hasBias() {
        return bias;
    }

    /** The layer's description. */
    public LayerSpec spec() {
        return new LayerSpec(outputs, activation, bias);
    }

    /** Where this layer's parameters start in the flat parameter vector (W first, then b). */
    public int offset() {
        return offset;
    }

    /** Number of parameters: in·out weights plus out biases (if any). */
    public int parameterCount() {
        return weights.length() + biases.length();
    }

    /** W as a live out×in row-major view of the network's parameters. */
    public Vec weights() {
        return weights;
    }

    /** b as a live view of the network's parameters (length 0 without biases). */
    public Vec biases() {
        return biases;
    }

    /** ∂J/∂W as a live view of the network's gradient vector. */
    public Vec weightGradient() {
        return weightGradient;
    }

    /** ∂J/∂b as a live view of the network's gradient vector. */
    public Vec biasGradient() {
        return biasGradient;
    }

    /** W[o][i] as a double. */
    public double weight(int o, int i) {
        return weights.get(o * inputs + i);
    }

    /** Whether training leaves this layer's parameters unchanged. */
    public boolean isFrozen() {
        return frozen;
    }

    void setFrozen(boolean frozen) {
        this.frozen = frozen;
    }

    /** Z = Y·Wᵀ (+ b), A = f(Z) for m rows, the bias and f in the product's epilogue ({@link Kernels#denseForward}). */
    void forward(Kernels k, Vec y, Vec z, Vec a, int m) {
        k.denseForward(m, outputs, inputs, y, weights, biases, activation, z, a, outputs);
    }

    /**
     * Given Δ = ∂J/∂Z (m×out): unless frozen, writes ∂J/∂W = Δᵀ·Y and ∂J/∂b = Σ_rows Δ into this layer's views of the
     * network's gradient (with {@code accumulate}, adds them: the later chunks of a large batch). The delta handed to
     * the layer below, f'(Z_below) ⊙ Δ·W, is {@link Kernels#propagateDelta}. On several threads the network splits
     * this work instead ({@link SplitPass}).
     */
    void backward(Kernels k, Vec y, Vec delta, int m, boolean accumulate) {
        if (!frozen) {
            k.gemm(true, false, outputs, inputs, m, 1.0, delta, y, accumulate ? 1.0 : 0.0, weightGradient);
            if (bias) {
                if (!accumulate) {
                    k.fill(biasGradient, 0.0);
                }
                k.sumRows(1.0, delta, m, outputs, biasGradient);
            }
        }
    }

    @Override
    public String toString() {
        return "Dense(" + inputs + " -> " + outputs + ", " + activation.id() + (bias ? "" : ", no bias") + (frozen ? ", frozen" : "") + ")";
    }
}
