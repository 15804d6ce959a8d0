package dev.backprop.kernel;

/**
 * The scalar math every kernel shares: each activation and its derivative, the per-unit terms of each cost
 * and their derivatives, and the special functions they need. Everything is in double precision; the float
 * kernels round the result once.
 *
 * <p>These are the reference definitions: a faster kernel must agree with them (within rounding), and the
 * gradient checks verify the derivatives here against central differences of the functions here.
 */
public final class ScalarMath {
    private ScalarMath() {
    }

    static final double SQRT_2 = Math.sqrt(2.0);
    static final double INV_SQRT_2 = 1.0 / SQRT_2;
    static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);
    static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);
    static final double INV_SQRT_PI = 1.0 / Math.sqrt(Math.PI);

    // ---------------------------------------------------------------- activations

    /** σ(z) = 1 / (1 + e^−z), evaluated without overflow for either sign of z. */
    public static double sigmoid(double z) {
        if (z >= 0) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1.0 + e);
    }

    /** σ'(z) = σ(z)(1 − σ(z)), from the output a = σ(z). */
    public static double sigmoidDerivativeFromOutput(double a) {
        return a * (1.0 - a);
    }

    /** tanh'(z) = 1 − tanh²(z), from the output a = tanh(z). */
    public static double tanhDerivativeFromOutput(double a) {
        return 1.0 - a * a;
    }

    /** ReLU: max(0, z). */
    public static double relu(double z) {
        return z > 0 ? z : 0.0;
    }

    /** ReLU'(z): 1 for z &gt; 0, else 0 (0 at z = 0, as PyTorch). */
    public static double reluDerivative(double z) {
        return z > 0 ? 1.0 : 0.0;
    }

    /** Leaky ReLU: z for z &gt; 0, else slope·z. */
    public static double leakyRelu(double z, double slope) {
        return z > 0 ? z : slope * z;
    }

    /** Leaky ReLU'(z): 1 for z &gt; 0, else slope (slope at z = 0, as PyTorch). */
    public static double leakyReluDerivative(double z, double slope) {
        return z > 0 ? 1.0 : slope;
    }

    /** ELU: z for z &gt; 0, else α(e^z − 1). */
    public static double elu(double z, double alpha) {
        return z > 0 ? z : alpha * Math.expm1(z);
    }

    /** ELU'(z): 1 for z &gt; 0, else α·e^z. */
    public static double eluDerivative(double z, double alpha) {
        return z > 0 ? 1.0 : alpha * Math.exp(z);
    }

    /** Softplus: ln(1 + e^z) = max(z, 0) + ln(1 + e^−|z|), which never overflows. */
    public static double softplus(double z) {
        return Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z)));
    }

    /** Softplus'(z) = σ(z). */
    public static double softplusDerivative(double z) {
        return sigmoid(z);
    }

    /** GELU (exact form, as PyTorch's default): z·Φ(z), Φ the standard normal distribution function. */
    public static double gelu(double z) {
        return z * normalCdf(z);
    }

    /** GELU'(z) = Φ(z) + z·φ(z), φ the standard normal density. */
    public static double geluDerivative(double z) {
        return normalCdf(z) + z * normalPdf(z);
    }

    /** Φ(z) = ½·erfc(−z/√2), accurate in the far left tail too. */
    public static double normalCdf(double z) {
        return 0.5 * erfc(-z * INV_SQRT_2);
    }

    /** φ(z) = e^(−z²/2) / √(2π). */
    public static double normalPdf(double z) {
        return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
    }

    /**
     * The error function erf(x) = (2/√π)∫₀ˣ e^(−t²) dt, to about 1e−15 relative.
     *
     * <p>For |x| &lt; 2.5 it sums the series erf(x) = (2/√π)·e^(−x²)·Σₙ 2ⁿx^(2n+1)/(1·3·…·(2n+1)), whose terms
     * are all positive (no cancellation); beyond, 1 − erfc(x) from the continued fraction.
     * (Abramowitz &amp; Stegun 7.1.6 and 7.1.14.)
     */
    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double ax = Math.abs(x);
        if (ax < 2.5) {
            return erfSeries(x);
        }
        double r = 1.0 - erfcContinuedFraction(ax);
        return x < 0 ? -r : r;
    }

    /** The complementary error function erfc(x) = 1 − erf(x), accurate for large x (no cancellation). */
    public static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (x >= 2.5) {
            return erfcContinuedFraction(x);
        }
        if (x <= -2.5) {
            return 2.0 - erfcContinuedFraction(-x);
        }
        return 1.0 - erfSeries(x);
    }

    private static double erfSeries(double x) {
        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < 200; n++) {
            term *= 2.0 * x2 / (2 * n + 1);
            sum += term;
            if (Math.abs(term) <= 1e-17 * Math.abs(sum)) {
                break;
            }
        }
        return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
    }

    /** erfc(x) for x ≥ 2.5: e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), by the modified Lentz method. */
    private static double erfcContinuedFraction(double x) {
        if (x > 27.3) {
            return 0.0; // below the smallest double
        }
        final double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0.0;
        for (int n = 1; n < 500; n++) {
            double an = 0.5 * n;
            d = x + an * d;
            d = d == 0 ? tiny : d;
            c = x + an / c;
            c = c == 0 ? tiny : c;
            d = 1.0 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1.0) < 1e-16) {
                break;
            }
        }
        return INV_SQRT_PI * Math.exp(-x * x) / f;
    }

    // ---------------------------------------------------------------- cost terms (per output unit)

    /** y·ln(y) with the convention 0·ln 0 = 0. */
    public static double xLogX(double y) {
        return y == 0 ? 0.0 : y * Math.log(y);
    }

    /** y·ln(a) with the convention 0·ln a = 0 (even for a = 0). */
    public static double xLogY(double y, double a) {
        return y == 0 ? 0.0 : y * Math.log(a);
    }

    /** Binary cross-entropy of one unit: −[y ln a + (1 − y) ln(1 − a)], with 0·ln 0 = 0. */
    public static double binaryCrossEntropy(double a, double y) {
        return -(xLogY(y, a) + xLogY(1.0 - y, 1.0 - a));
    }

    /** ∂/∂a of the binary cross-entropy: −y/a + (1 − y)/(1 − a). */
    public static double binaryCrossEntropyDerivative(double a, double y) {
        return (y == 0 ? 0.0 : -y / a) + (y == 1 ? 0.0 : (1.0 - y) / (1.0 - a));
    }

    /** Binary cross-entropy of one unit from its logit z (a = σ(z)): max(z,0) − z·y + ln(1 + e^−|z|). */
    public static double binaryCrossEntropyFromLogit(double z, double y) {
        return Math.max(z, 0.0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
    }

    /** Kullback–Leibler term of one unit: y·ln(y/a), 0 when y = 0. */
    public static double kullbackLeibler(double a, double y) {
        return y == 0 ? 0.0 : y * Math.log(y / a);
    }

    /** ∂/∂a of y ln(a) costs (cross-entropy, KL): −y/a, 0 when y = 0. */
    public static double negativeLogDerivative(double a, double y) {
        return y == 0 ? 0.0 : -y / a;
    }

    /** Hellinger term of one unit: (1/√2)(√a − √y)². */
    public static double hellinger(double a, double y) {
        double d = Math.sqrt(a) - Math.sqrt(y);
        return INV_SQRT_2 * d * d;
    }

    /** ∂/∂a of the Hellinger term: (1/√2)(√a − √y)/√a. */
    public static double hellingerDerivative(double a, double y) {
        double sa = Math.sqrt(a);
        return INV_SQRT_2 * (sa - Math.sqrt(y)) / sa;
    }

    /** 2^¼, the scale of the Hellinger residual. */
    public static final double FOURTH_ROOT_2 = Math.sqrt(Math.sqrt(2));

    /** The Hellinger residual ρ = 2^¼(√a − √y), whose ½ρ² is the Hellinger term. */
    public static double hellingerResidual(double a, double y) {
        return FOURTH_ROOT_2 * (Math.sqrt(a) - Math.sqrt(y));
    }

    /** ∂ρ/∂a of the Hellinger residual: 2^¼/(2√a). */
    public static double hellingerResidualDerivative(double a) {
        return FOURTH_ROOT_2 / (2 * Math.sqrt(a));
    }

    /** Itakura–Saito term of one unit: y/a − ln(y/a) − 1. */
    public static double itakuraSaito(double a, double y) {
        double r = y / a;
        return r - Math.log(r) - 1.0;
    }

    /** ∂/∂a of the Itakura–Saito term: (a − y)/a². */
    public static double itakuraSaitoDerivative(double a, double y) {
        return (a - y) / (a * a);
    }

    // ---------------------------------------------------------------- second derivatives (Hessian-vector products)

    /** f'(z) of an element-wise activation, from z and a = f(z) (whichever is cheaper and more accurate). */
    public static double derivativeFromBoth(dev.backprop.Activation f, double z, double a) {
        return switch (f) {
            case dev.backprop.Activation.Sigmoid s -> sigmoidDerivativeFromOutput(a);
            case dev.backprop.Activation.Tanh t -> tanhDerivativeFromOutput(a);
            case dev.backprop.Activation.Relu r -> reluDerivative(z);
            case dev.backprop.Activation.LeakyRelu(double slope) -> leakyReluDerivative(z, slope);
            case dev.backprop.Activation.Elu(double alpha) -> eluDerivative(z, alpha);
            case dev.backprop.Activation.Softplus s -> softplusDerivative(z);
            case dev.backprop.Activation.Gelu g -> geluDerivative(z);
            case dev.backprop.Activation.Identity i -> 1;
            case dev.backprop.Activation.Softmax s -> throw new IllegalArgumentException("softmax has no per-unit derivative");
        };
    }

    /**
     * f''(z) of an element-wise activation, from z and a = f(z): sigmoid σ'(1 − 2σ), tanh −2a(1 − a²), ELU αe^z
     * left of 0, softplus σ(z)(1 − σ(z)), GELU φ(z)(2 − z²); 0 for the piecewise-linear ones (ReLU, leaky ReLU,
     * identity), whose second derivative is zero wherever it exists.
     */
    public static double secondDerivative(dev.backprop.Activation f, double z, double a) {
        return switch (f) {
            case dev.backprop.Activation.Sigmoid s -> a * (1 - a) * (1 - 2 * a);
            case dev.backprop.Activation.Tanh t -> -2 * a * (1 - a * a);
            case dev.backprop.Activation.Elu(double alpha) -> z > 0 ? 0 : alpha * Math.exp(z);
            case dev.backprop.Activation.Softplus s -> {
                double sg = sigmoid(z);
                yield sg * (1 - sg);
            }
            case dev.backprop.Activation.Gelu g -> normalPdf(z) * (2 - z * z);
            case dev.backprop.Activation.Relu r -> 0;
            case dev.backprop.Activation.LeakyRelu l -> 0;
            case dev.backprop.Activation.Identity i -> 0;
            case dev.backprop.Activation.Softmax s -> throw new IllegalArgumentException("softmax has no per-unit second derivative");
        };
    }

    /**
     * ∂²C/∂a_k² of the costs whose Hessian in a is diagonal: binary cross-entropy y/a² + (1 − y)/(1 − a)²,
     * cross-entropy and Kullback–Leibler y/a², Hellinger (1/√2)·√y/(2a^(3/2)), Itakura–Saito (2y − a)/a³,
     * quadratic 1. (The exponential cost's Hessian is not diagonal; see the kernels.)
     */
    public static double costSecondDerivative(dev.backprop.Cost c, double a, double y) {
        return switch (c) {
            case dev.backprop.Cost.Quadratic q -> 1;
            case dev.backprop.Cost.BinaryCrossEntropy b -> (y == 0 ? 0 : y / (a * a)) + (y == 1 ? 0 : (1 - y) / ((1 - a) * (1 - a)));
            case dev.backprop.Cost.CrossEntropy e -> y == 0 ? 0 : y / (a * a);
            case dev.backprop.Cost.KullbackLeibler k -> y == 0 ? 0 : y / (a * a);
            case dev.backprop.Cost.Hellinger h -> INV_SQRT_2 * Math.sqrt(y) / (2 * a * Math.sqrt(a));
            case dev.backprop.Cost.ItakuraSaito is -> (2 * y - a) / (a * a * a);
            case dev.backprop.Cost.Exponential e -> throw new IllegalArgumentException("the exponential cost's Hessian is not diagonal");
        };
    }

    // ---------------------------------------------------------------- diagnostics and optimizer rules

    /** A unit counts as saturated when its slope is below this fraction of the function's largest slope. */
    public static final double SATURATION = 1e-4;

    /** Quickprop's threshold below which a previous step counts as zero (FANN's value). */
    public static final double QUICKPROP_ZERO_STEP = 1e-3;

    /**
     * One weight's Quickprop step (Fahlman 1988, following FANN's {@code fann_update_weights_quickprop}).
     *
     * @param slope     s = −∂J/∂θ now (the descent direction)
     * @param prevSlope the slope at the previous step
     * @param prevStep  the previous step Δ (0 on the first step)
     * @param lr        ε, the gradient-descent rate used when there is no usable previous step
     * @param mu        the maximum growth factor μ of a step over the previous one (Fahlman: 1.75)
     * @return the step to add to θ
     */
    public static double quickpropStep(double slope, double prevSlope, double prevStep, double lr, double mu) {
        double shrink = mu / (1.0 + mu);
        double next = 0;
        if (prevStep > QUICKPROP_ZERO_STEP) {
            if (slope > 0) {
                next += lr * slope;
            }
            next += slope > shrink * prevSlope ? mu * prevStep : secant(slope, prevSlope, prevStep, lr);
        } else if (prevStep < -QUICKPROP_ZERO_STEP) {
            if (slope < 0) {
                next += lr * slope;
            }
            next += slope < shrink * prevSlope ? mu * prevStep : secant(slope, prevSlope, prevStep, lr);
        } else {
            next += lr * slope;
        }
        return next;
    }

    /** The jump to the parabola's minimum, Δ·s/(sPrev − s); a plain gradient step when the slopes are equal (FANN divides by zero there). */
    private static double secant(double slope, double prevSlope, double prevStep, double lr) {
        return prevSlope == slope ? lr * slope : prevStep * slope / (prevSlope - slope);
    }
}
