package dev.backprop.check;

import dev.backprop.Dataset;
import dev.backprop.Dense;
import dev.backprop.Network;
import dev.backprop.Precision;
import dev.backprop.Regularization;
import dev.backprop.kernel.Kernels;
import dev.backprop.kernel.Vec;
import dev.backprop.util.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks backpropagation against the definition of a derivative: for each parameter θᵢ, the central
 * difference (J(θ + hεᵢ) − J(θ − hεᵢ))/(2h) of the objective J on the given data is compared with the
 * gradient backpropagation computes. Works on any network and data: the check runs on a float64 copy of the
 * network (with every layer unfrozen), so the user's network is left untouched.
 *
 * <p>Per layer it reports the relative error ‖g_bp − g_fd‖/max(‖g_bp‖, ‖g_fd‖) over the layer's checked
 * parameters (W and b together). A layer passes if that is at most the tolerance, or if the absolute error
 * ‖g_bp − g_fd‖ is below {@code absoluteTolerance} (so that a layer whose gradient is essentially zero is
 * not failed on rounding noise). With h = 1e−6 the central difference is accurate to about 1e−9 relative for
 * smooth functions; a kink (ReLU at 0) within h of a unit's z can make a single check fail.
 */
public final class GradientCheck {
    private GradientCheck() {
    }

    /**
     * How to check.
     *
     * @param epsilon               step h, relative to max(1, |θᵢ|) (default 1e−6)
     * @param tolerance             largest relative error per layer that passes (default 1e−6)
     * @param absoluteTolerance     absolute error per layer below which a layer passes anyway (default 1e−8)
     * @param maxParametersPerLayer check at most this many parameters per layer, drawn at random (0: all; default 0)
     * @param seed                  seed of that draw
     * @param regularization        the penalty included in J
     */
    public record Options(double epsilon, double tolerance, double absoluteTolerance, int maxParametersPerLayer, long seed,
                          Regularization regularization) {
        public Options {
            if (!(epsilon > 0 && epsilon < 1)) {
                throw new IllegalArgumentException("gradient check step must be in (0, 1), got " + epsilon);
            }
            if (!(tolerance > 0)) {
                throw new IllegalArgumentException("gradient check tolerance must be positive, got " + tolerance);
            }
            if (!(absoluteTolerance >= 0)) {
                throw new IllegalArgumentException("gradient check absolute tolerance must be >= 0, got " + absoluteTolerance);
            }
            if (maxParametersPerLayer < 0) {
                throw new IllegalArgumentException("parameters per layer must be >= 0 (0 = all), got " + maxParametersPerLayer);
            }
            if (regularization == null) {
                throw new IllegalArgumentException("regularization must not be null (use Regularization.NONE)");
            }
        }

        /** h = 1e−6, tolerance 1e−6, absolute tolerance 1e−8, all parameters, no penalty. */
        public static Options defaults() {
            return new Options(1e-6, 1e-6, 1e-8, 0, 0, Regularization.NONE);
        }

        public Options withRegularization(Regularization r) {
            return new Options(epsilon, tolerance, absoluteTolerance, maxParametersPerLayer, seed, r);
        }

        public Options withTolerance(double t) {
            return new Options(epsilon, t, absoluteTolerance, maxParametersPerLayer, seed, regularization);
        }

        public Options withMaxParametersPerLayer(int max, long sampleSeed) {
            return new Options(epsilon, tolerance, absoluteTolerance, max, sampleSeed, regularization);
        }
    }

    /** Checks with the default options and the given penalty. */
    public static GradientCheckReport run(Network network, Dataset data, Regularization regularization) {
        return run(network, data, Options.defaults().withRegularization(regularization));
    }

    /** Checks the network's gradient on {@code data}. */
    public static GradientCheckReport run(Network network, Dataset data, Options options) {
        Network net = network.copy(Kernels.scalar(Precision.FLOAT64));
        for (Dense d : net.layers()) {
            net.unfreeze(d.index());
        }
        Regularization reg = options.regularization();
        double objective = net.computeGradient(data, reg);
        double[] analytic = net.gradient().toDoubleArray();
        Vec theta = net.parameters();
        Rng rng = new Rng(options.seed());
        List<GradientCheckReport.LayerResult> results = new ArrayList<>();
        for (Dense d : net.layers()) {
            int total = d.parameterCount();
            int[] indices = choose(total, options.maxParametersPerLayer(), rng);
            double diff2 = 0, a2 = 0, n2 = 0, maxAbs = 0;
            for (int idx : indices) {
                int i = d.offset() + idx;
                double original = theta.get(i);
                double h = options.epsilon() * Math.max(1.0, Math.abs(original));
                theta.set(i, original + h);
                double plus = net.objective(data, reg);
                theta.set(i, original - h);
                double minus = net.objective(data, reg);
                theta.set(i, original);
                double numeric = (plus - minus) / (2 * h);
                double a = analytic[i];
                double diff = a - numeric;
                diff2 += diff * diff;
                a2 += a * a;
                n2 += numeric * numeric;
                maxAbs = Math.max(maxAbs, Math.abs(diff));
            }
            double diffNorm = Math.sqrt(diff2);
            double scale = Math.max(Math.sqrt(a2), Math.sqrt(n2));
            double rel = scale == 0 ? 0 : diffNorm / scale;
            if (Double.isNaN(diffNorm)) {
                rel = Double.NaN;
            }
            boolean passed = rel <= options.tolerance() || diffNorm <= options.absoluteTolerance();
            results.add(new GradientCheckReport.LayerResult(d.index(), indices.length, total, rel, maxAbs, Math.sqrt(a2), Math.sqrt(n2), passed));
        }
        return new GradientCheckReport(List.copyOf(results), objective, options.tolerance(),
                results.stream().allMatch(GradientCheckReport.LayerResult::passed));
    }

    private static int[] choose(int total, int max, Rng rng) {
        if (max == 0 || max >= total) {
            int[] all = new int[total];
            for (int i = 0; i < total; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] perm = rng.permutation(total);
        int[] pick = java.util.Arrays.copyOf(perm, max);
        java.util.Arrays.sort(pick);
        return pick;
    }
}
