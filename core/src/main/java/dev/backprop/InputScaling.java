package dev.backprop;

import java.util.Arrays;
import java.util.Locale;

/**
 * A per-feature affine map applied to every input before the first layer: x'_j = (x_j − center_j) / scale_j.
 * It is part of the model (saved with it), so a network trained on scaled data is given raw features.
 * {@link #standardize(Dataset)} uses each feature's mean and standard deviation, {@link #minMax(Dataset)} its
 * minimum and range (mapping the training data into [0, 1]); a feature that is constant in the data gets scale 1.
 *
 * @param method how the numbers were chosen: {@code standard}, {@code minmax} or {@code custom}
 * @param center the value subtracted from each feature
 * @param scale  the value each feature is then divided by (finite, non-zero)
 */
public record InputScaling(String method, double[] center, double[] scale) {

    public InputScaling {
        if (center.length != scale.length || center.length == 0) {
            throw new IllegalArgumentException("input scaling needs one center and one scale per feature, got "
                    + center.length + " and " + scale.length);
        }
        center = center.clone();
        scale = scale.clone();
        for (int j = 0; j < scale.length; j++) {
            if (!Double.isFinite(center[j]) || !Double.isFinite(scale[j]) || scale[j] == 0) {
                throw new IllegalArgumentException("input scaling of feature " + j + " must have a finite center and a finite,"
                        + " non-zero scale, got " + center[j] + " and " + scale[j]);
            }
        }
        method = method.toLowerCase(Locale.ROOT);
    }

    /** Each feature's mean and (population) standard deviation over the data. */
    public static InputScaling standardize(Dataset data) {
        int d = data.features();
        double[] mean = new double[d];
        double[] sq = new double[d];
        for (int i = 0; i < data.size(); i++) {
            double[] x = data.featureRow(i);
            for (int j = 0; j < d; j++) {
                mean[j] += x[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= data.size();
        }
        for (int i = 0; i < data.size(); i++) {
            double[] x = data.featureRow(i);
            for (int j = 0; j < d; j++) {
                sq[j] += (x[j] - mean[j]) * (x[j] - mean[j]);
            }
        }
        double[] sd = new double[d];
        for (int j = 0; j < d; j++) {
            sd[j] = Math.sqrt(sq[j] / data.size());
            if (!(sd[j] > 1e-12 * Math.max(1, Math.abs(mean[j])))) {
                sd[j] = 1;
            }
        }
        return new InputScaling("standard", mean, sd);
    }

    /** Each feature's minimum and range over the data. */
    public static InputScaling minMax(Dataset data) {
        int d = data.features();
        double[] min = new double[d];
        double[] max = new double[d];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < data.size(); i++) {
            double[] x = data.featureRow(i);
            for (int j = 0; j < d; j++) {
                min[j] = Math.min(min[j], x[j]);
                max[j] = Math.max(max[j], x[j]);
            }
        }
        double[] range = new double[d];
        for (int j = 0; j < d; j++) {
            range[j] = max[j] - min[j];
            if (!(range[j] > 1e-12 * Math.max(1, Math.abs(min[j])))) {
                range[j] = 1;
            }
        }
        return new InputScaling("minmax", min, range);
    }

    /** Number of features. */
    public int features() {
        return center.length;
    }

    @Override
    public double[] center() {
        return center.clone();
    }

    @Override
    public double[] scale() {
        return scale.clone();
    }

    /** The scaled copy of one example's features. */
    public double[] apply(double[] x) {
        double[] out = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            out[j] = (x[j] - center[j]) / scale[j];
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputScaling s && s.method.equals(method) && Arrays.equals(s.center, center) && Arrays.equals(s.scale, scale);
    }

    @Override
    public int hashCode() {
        return method.hashCode() * 31 + Arrays.hashCode(center) * 17 + Arrays.hashCode(scale);
    }

    @Override
    public String toString() {
        return "InputScaling[" + method + ", " + center.length + " features]";
    }
}
