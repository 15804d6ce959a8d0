package dev.backprop.optim;

import dev.backprop.Network;

/**
 * AdamW (Loshchilov &amp; Hutter 2019), as {@code torch.optim.AdamW}: each step first decays the weights,
 * θ ← θ·(1 − α·λ), then takes the {@link Adam} step. Unlike PyTorch's default (which decays every parameter
 * unless told otherwise), biases are not decayed, in line with the rest of this library.
 *
 * @param learningRate α (default 1e−3)
 * @param beta1        β₁ (default 0.9)
 * @param beta2        β₂ (default 0.999)
 * @param eps          ε (default 1e−8)
 * @param weightDecay  λ ≥ 0 (default 1e−2, PyTorch's)
 */
public record AdamW(double learningRate, double beta1, double beta2, double eps, double weightDecay) implements Optimizer {
    public AdamW {
        Optimizer.checkRate(learningRate);
        Optimizer.check("AdamW beta1", beta1, 0, false, 1, true);
        Optimizer.check("AdamW beta2", beta2, 0, false, 1, true);
        Optimizer.check("AdamW eps", eps, 0, true, Double.MAX_VALUE, false);
        Optimizer.check("AdamW weight decay", weightDecay, 0, false, Double.MAX_VALUE, false);
    }

    /** PyTorch's defaults: α = 1e−3, β = (0.9, 0.999), ε = 1e−8, λ = 1e−2. */
    public AdamW() {
        this(1e-3);
    }

    /** PyTorch's default β, ε and λ. */
    public AdamW(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-8, 1e-2);
    }

    public String id() {
        return "adamw";
    }

    public AdamW withLearningRate(double lr) {
        return new AdamW(lr, beta1, beta2, eps, weightDecay);
    }

    public OptimizerState start(Network network) {
        return new Adam.AdamState(network, beta1, beta2, eps, weightDecay);
    }
}
