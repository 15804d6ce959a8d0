package dev.backprop.optim;

import dev.backprop.Network;

/**
 * Resilient backpropagation, the iRprop− variant (Igel &amp; Hüsken 2000), which is what
 * {@code torch.optim.Rprop} computes. Each weight keeps its own step size Δ, starting at the learning rate:
 * when the gradient keeps its sign, Δ ← min(Δ·η₊, Δmax); when it flips, Δ ← max(Δ·η₋, Δmin) and that
 * weight's gradient is treated as 0 for this step; then θ ← θ − sign(g)·Δ. Only the sign of the gradient
 * is used, so it is meant for full-batch training.
 *
 * @param learningRate initial step size Δ₀ (default 1e−2, PyTorch's); the step sizes start at the learning rate of
 *                     the first update, so a schedule or the doctor's recovery scales them
 * @param etaMinus     η₋ in (0, 1) (default 0.5)
 * @param etaPlus      η₊ &gt; 1 (default 1.2)
 * @param stepMin      Δmin ≥ 0 (default 1e−6)
 * @param stepMax      Δmax &gt; Δmin (default 50)
 */
public record Rprop(double learningRate, double etaMinus, double etaPlus, double stepMin, double stepMax) implements Optimizer {
    public Rprop {
        Optimizer.checkRate(learningRate);
        Optimizer.check("Rprop eta-", etaMinus, 0, true, 1, true);
        Optimizer.check("Rprop eta+", etaPlus, 1, true, Double.MAX_VALUE, false);
        Optimizer.check("Rprop minimum step", stepMin, 0, false, Double.MAX_VALUE, false);
        if (!(stepMax > stepMin) || Double.isInfinite(stepMax)) {
            throw new IllegalArgumentException("Rprop maximum step must be finite and above the minimum step " + stepMin + ", got " + stepMax);
        }
    }

    /** PyTorch's defaults: Δ₀ = 1e−2, η = (0.5, 1.2), Δ in [1e−6, 50]. */
    public Rprop() {
        this(1e-2);
    }

    /** PyTorch's default η and step bounds. */
    public Rprop(double learningRate) {
        this(learningRate, 0.5, 1.2, 1e-6, 50);
    }

    public String id() {
        return "rprop";
    }

    public Rprop withLearningRate(double lr) {
        return new Rprop(lr, etaMinus, etaPlus, stepMin, stepMax);
    }

    public boolean wantsFullBatch() {
        return true;
    }

    public OptimizerState start(Network network) {
        return new LayerSlots.BlockState(network, 2) {
            void update(LayerSlots.Block b, long step, double lr) {
                if (step == 1) {
                    slots.kernels.fill(b.state()[1], lr); // initial step sizes: the rate of the first step (halved after a recovery)
                }
                slots.kernels.rpropStep(b.params(), b.grads(), b.state()[0], b.state()[1], etaMinus, etaPlus, stepMin, stepMax);
            }
        };
    }
}
