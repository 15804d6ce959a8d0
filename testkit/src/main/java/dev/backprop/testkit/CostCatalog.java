package dev.backprop.testkit;

import dev.backprop.Activation;
import dev.backprop.Cost;
import dev.backprop.Dataset;
import dev.backprop.util.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * Every (cost, output activation) pair the library accepts, every hidden activation, and data whose targets
 * suit each cost: the catalogue gradient checks and conformance tests run over.
 */
public final class CostCatalog {
    private CostCatalog() {
    }

    /** A cost with an output activation it fits. */
    public record Pair(Cost cost, Activation output) {
        @Override
        public String toString() {
            return output.id() + "+" + cost.id();
        }
    }

    /** Every valid pair of {@link Cost#all()} × {@link Activation#all()}. */
    public static List<Pair> validPairs() {
        List<Pair> pairs = new ArrayList<>();
        for (Cost c : Cost.all()) {
            for (Activation a : Activation.all()) {
                if (c.fits(a)) {
                    pairs.add(new Pair(c, a));
                }
            }
        }
        return pairs;
    }

    /** Every invalid pair (which construction must refuse). */
    public static List<Pair> invalidPairs() {
        List<Pair> pairs = new ArrayList<>();
        for (Cost c : Cost.all()) {
            for (Activation a : Activation.all()) {
                if (!c.fits(a)) {
                    pairs.add(new Pair(c, a));
                }
            }
        }
        return pairs;
    }

    /** Every activation allowed in a hidden layer (all but softmax). */
    public static List<Activation> hiddenActivations() {
        return Activation.all().stream().filter(a -> !(a instanceof Activation.Softmax)).toList();
    }

    /**
     * Random data for a cost: features standard normal; targets that the cost can take and that are not
     * trivially met: distributions (rows summing to 1) for cross-entropy and Kullback–Leibler with softmax,
     * values in (0, 1) for binary cross-entropy and sigmoid outputs, positive values for Hellinger and
     * Itakura–Saito, roughly unit normal otherwise.
     */
    public static Dataset dataFor(Pair pair, int n, int inputs, int outputs, long seed) {
        Rng rng = new Rng(seed);
        double[][] x = new double[n][inputs];
        double[][] y = new double[n][outputs];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < inputs; d++) {
                x[i][d] = rng.nextGaussian();
            }
            double sum = 0;
            for (int k = 0; k < outputs; k++) {
                y[i][k] = switch (pair.cost()) {
                    case Cost.Quadratic q -> pair.output().inUnitInterval() ? rng.uniform(0.05, 0.95) : rng.nextGaussian();
                    case Cost.Exponential e -> pair.output().inUnitInterval() ? rng.uniform(0.05, 0.95) : 0.5 * rng.nextGaussian();
                    case Cost.BinaryCrossEntropy b -> rng.uniform(0.05, 0.95);
                    case Cost.CrossEntropy c -> rng.uniform(0.05, 1.0);
                    case Cost.KullbackLeibler kl -> rng.uniform(0.05, 1.0);
                    case Cost.Hellinger h -> rng.uniform(0.05, pair.output().inUnitInterval() ? 0.95 : 2.0);
                    case Cost.ItakuraSaito is -> rng.uniform(0.05, pair.output().inUnitInterval() ? 0.95 : 2.0);
                };
                sum += y[i][k];
            }
            boolean distribution = pair.output() instanceof Activation.Softmax
                    && (pair.cost() instanceof Cost.CrossEntropy || pair.cost() instanceof Cost.KullbackLeibler);
            if (distribution) {
                for (int k = 0; k < outputs; k++) {
                    y[i][k] /= sum;
                }
            }
        }
        return Dataset.of(x, y);
    }
}
