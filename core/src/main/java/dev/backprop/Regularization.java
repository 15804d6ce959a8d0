package dev.backprop;

/**
 * The weight penalty added to the averaged cost: J = (1/m)·Σᵢ Cᵢ + (λ₂/2)·Σ_l ‖W_l‖² + λ₁·Σ_l Σ|W_l|.
 * Biases are never penalised. The penalty is not divided by m (as in the UFLDL derivation), so its gradient
 * is λ₂·W + λ₁·sign(W) whatever the batch size.
 *
 * @param l2 λ₂ ≥ 0, the L2 (weight decay) coefficient
 * @param l1 λ₁ ≥ 0, the L1 (lasso) coefficient
 */
public record Regularization(double l2, double l1) {
    /** No penalty. */
    public static final Regularization NONE = new Regularization(0, 0);

    public Regularization {
        if (!(l2 >= 0) || Double.isInfinite(l2)) {
            throw new IllegalArgumentException("L2 coefficient must be a finite number >= 0, got " + l2);
        }
        if (!(l1 >= 0) || Double.isInfinite(l1)) {
            throw new IllegalArgumentException("L1 coefficient must be a finite number >= 0, got " + l1);
        }
    }

    /** An L2 penalty (λ/2)·Σ‖W‖². */
    public static Regularization l2(double lambda) {
        return new Regularization(lambda, 0);
    }

    /** An L1 penalty λ·Σ|W|. */
    public static Regularization l1(double lambda) {
        return new Regularization(0, lambda);
    }

    /** Whether there is no penalty at all. */
    public boolean isNone() {
        return l2 == 0 && l1 == 0;
    }
}
