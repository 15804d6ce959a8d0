package dev.backprop.check;

import java.util.List;
import java.util.Locale;

/**
 * The result of a {@link GradientCheck}.
 *
 * @param layers    one result per layer, input side first
 * @param objective the objective J at the checked point
 * @param tolerance the relative error a layer had to stay within
 * @param passed    whether every layer passed
 */
public record GradientCheckReport(List<LayerResult> layers, double objective, double tolerance, boolean passed) {

    /**
     * One layer's comparison.
     *
     * @param layer            layer index
     * @param checked          parameters compared
     * @param total            parameters in the layer
     * @param relativeError    ‖g_bp − g_fd‖ / max(‖g_bp‖, ‖g_fd‖) over the compared parameters
     * @param maxAbsoluteError max |g_bp − g_fd| over them
     * @param backpropNorm     ‖g_bp‖ over them
     * @param numericNorm      ‖g_fd‖ over them
     * @param passed           within tolerance
     */
    public record LayerResult(int layer, int checked, int total, double relativeError, double maxAbsoluteError,
                              double backpropNorm, double numericNorm, boolean passed) {
    }

    /** The largest relative error over the layers. */
    public double worstRelativeError() {
        return layers.stream().mapToDouble(LayerResult::relativeError).max().orElse(0);
    }

    /** A small table for people. */
    public String summary() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "gradient check (J = %.6g, tolerance %.1e): %s%n",
                objective, tolerance, passed ? "PASSED" : "FAILED"));
        s.append("layer  checked/total   relative error   max |bp - fd|    |bp|\n");
        for (LayerResult r : layers) {
            s.append(String.format(Locale.ROOT, "%5d  %7d/%-7d  %14.3e  %14.3e  %10.4g  %s%n", r.layer(), r.checked(), r.total(),
                    r.relativeError(), r.maxAbsoluteError(), r.backpropNorm(), r.passed() ? "ok" : "FAIL"));
        }
        return s.toString();
    }
}
