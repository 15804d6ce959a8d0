package dev.backprop.optim;

import dev.backprop.Network;

/**
 * Quickprop (Fahlman 1988), with the rules of FANN's implementation: each weight's error curve is modelled
 * as a parabola through the current and previous slopes, and the step jumps towards its minimum,
 * Δ ← Δprev·s/(sPrev − s) with s = −∂J/∂θ, limited to μ·Δprev; a plain gradient step α·s is added while the
 * slope still points the same way, and used alone when there is no previous step. Meant for full-batch
 * training. (No PyTorch counterpart; defaults are FANN's. FANN also adds a weight decay of 1e−4 to the slopes of
 * all weights; here decay belongs to the objective, and {@code withL2(1e-4)} gives the same on the weights.)
 *
 * @param learningRate α, the gradient-descent rate (default 0.7, FANN's)
 * @param mu           μ &gt; 0, the maximum growth factor of a step (default 1.75, Fahlman's)
 */
public record Quickprop(double learningRate, double mu) implements Optimizer {
    public Quickprop {
        Optimizer.checkRate(learningRate);
        Optimizer.check("Quickprop mu", mu, 0, true, Double.MAX_VALUE, false);
    }

    /** FANN's defaults: α = 0.7, μ = 1.75. */
    public Quickprop() {
        this(0.7, 1.75);
    }

    /** μ = 1.75. */
    public Quickprop(double learningRate) {
        this(learningRate, 1.75);
    }

    public String id() {
        return "quickprop";
    }

    public Quickprop withLearningRate(double lr) {
        return new Quickprop(lr, mu);
    }

    public boolean wantsFullBatch() {
        return true;
    }

    public OptimizerState start(Network network) {
        return new LayerSlots.BlockState(network, 2) {
            void update(LayerSlots.Block b, long step, double lr) {
                slots.kernels.quickpropStep(b.params(), b.grads(), b.state()[0], b.state()[1], lr, mu);
            }
        };
    }
}
