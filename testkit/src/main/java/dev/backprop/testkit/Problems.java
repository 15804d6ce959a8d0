package dev.backprop.testkit;

import dev.backprop.Dataset;
import dev.backprop.util.Rng;

/**
 * Reference problems with known answers, for convergence tests of trainers and optimizers. Every generated
 * set is a pure function of its seed.
 */
public final class Problems {
    private Problems() {
    }

    /** XOR of two bits: 4 examples, target 1 when exactly one input is 1. Needs a hidden layer. */
    public static Dataset xor() {
        return Dataset.of(new double[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}}, new double[][] {{0}, {1}, {1}, {0}});
    }

    /**
     * y = sin(x) + ε, x uniform in [−π, π], ε ~ N(0, noise²). The best possible mean squared error is noise²;
     * a good fit has MSE within a small factor of it.
     */
    public static Dataset noisySine(int n, double noise, long seed) {
        Rng rng = new Rng(seed);
        double[][] x = new double[n][1];
        double[][] y = new double[n][1];
        for (int i = 0; i < n; i++) {
            x[i][0] = rng.uniform(-Math.PI, Math.PI);
            y[i][0] = Math.sin(x[i][0]) + noise * rng.nextGaussian();
        }
        return Dataset.of(x, y);
    }

    /**
     * Two classes in {@code dims} dimensions separated by the hyperplane w·x = 0 with a margin: points are
     * standard normal, those within {@code margin} of the plane are dropped, labels are the side (one-hot, 2
     * columns). A linear classifier reaches 100% accuracy.
     */
    public static Dataset linearlySeparable(int n, int dims, double margin, long seed) {
        Rng rng = new Rng(seed);
        double[] w = new double[dims];
        double norm = 0;
        for (int d = 0; d < dims; d++) {
            w[d] = rng.nextGaussian();
            norm += w[d] * w[d];
        }
        norm = Math.sqrt(norm);
        double[][] x = new double[n][dims];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double s;
            do {
                s = 0;
                for (int d = 0; d < dims; d++) {
                    x[i][d] = rng.nextGaussian();
                    s += w[d] * x[i][d];
                }
                s /= norm;
            } while (Math.abs(s) < margin);
            labels[i] = s > 0 ? 1 : 0;
        }
        return Dataset.ofLabels(x, labels, 2);
    }

    /**
     * The textbook's single-weight example: learn the identity f(x) = x on x ∈ {0, 1} with ŷ = σ(w·x) and the
     * quadratic cost. Two examples, one input, one target.
     */
    public static Dataset identityOnBits() {
        return Dataset.of(new double[][] {{0}, {1}}, new double[][] {{0}, {1}});
    }
}
