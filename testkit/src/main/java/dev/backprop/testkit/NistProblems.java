package dev.backprop.testkit;

import java.util.List;

/**
 * Nonlinear-regression problems from the NIST Statistical Reference Datasets (StRD, itl.nist.gov/div898/strd;
 * public domain), with their data, both published starting points and the certified parameters and residual
 * sum of squares. The residuals are y − model(x; b); f = ½·RSS, so {@link LeastSquaresProblem#minimum()} is half
 * the certified RSS. Difficulty as NIST rates it: Misra1a lower, Thurber higher, MGH09 higher.
 */
public final class NistProblems {
    private NistProblems() {
    }

    /** All of them. */
    public static List<Nist> all() {
        return List.of(misra1a(), thurber(), mgh09());
    }

    /** A NIST problem: a {@link LeastSquaresProblem} with its certified values. */
    public abstract static class Nist extends LeastSquaresProblem {
        private final double[] certified;
        private final double certifiedRss;
        final double[] xs;
        final double[] ys;

        Nist(String name, double[] xs, double[] ys, List<double[]> starts, double[] certified, double certifiedRss) {
            super(name, xs.length, certified.length, starts, certifiedRss / 2, certified);
            this.certified = certified;
            this.certifiedRss = certifiedRss;
            this.xs = xs;
            this.ys = ys;
        }

        /** The certified parameter values. */
        public double[] certified() {
            return certified.clone();
        }

        /** The certified residual sum of squares. */
        public double certifiedRss() {
            return certifiedRss;
        }
    }

    /** Misra1a (Misra, NIST 1978, dental research): y = b₁(1 − exp(−b₂x)), 14 observations, 2 parameters. */
    public static Nist misra1a() {
        double[] x = {77.6, 114.9, 141.1, 190.8, 239.9, 289.0, 332.8, 378.4, 434.8, 477.3, 536.8, 593.1, 689.1, 760.0};
        double[] y = {10.07, 14.73, 17.94, 23.93, 29.61, 35.18, 40.02, 44.82, 50.76, 55.05, 61.01, 66.40, 75.47, 81.78};
        return new Nist("misra1a", x, y, List.of(new double[] {500, 1e-4}, new double[] {250, 5e-4}),
                new double[] {2.3894212918E+02, 5.5015643181E-04}, 1.2455138894E-01) {
            public void residuals(double[] b, double[] r) {
                for (int i = 0; i < xs.length; i++) {
                    r[i] = ys[i] - b[0] * (1 - Math.exp(-b[1] * xs[i]));
                }
            }

            protected void jacobian(double[] b, double[] j) {
                for (int i = 0; i < xs.length; i++) {
                    double e = Math.exp(-b[1] * xs[i]);
                    j[2 * i] = -(1 - e);
                    j[2 * i + 1] = -b[0] * xs[i] * e;
                }
            }
        };
    }

    /**
     * Thurber (NIST, semiconductor electron mobility): y = (b₁ + b₂x + b₃x² + b₄x³)/(1 + b₅x + b₆x² + b₇x³),
     * 37 observations, 7 parameters.
     */
    public static Nist thurber() {
        double[] y = {80.574, 84.248, 87.264, 87.195, 89.076, 89.608, 89.868, 90.101, 92.405, 95.854, 100.696, 101.060, 401.672,
            390.724, 567.534, 635.316, 733.054, 759.087, 894.206, 990.785, 1090.109, 1080.914, 1122.643, 1178.351, 1260.531, 1273.514,
            1288.339, 1327.543, 1353.863, 1414.509, 1425.208, 1421.384, 1442.962, 1464.350, 1468.705, 1447.894, 1457.628};
        double[] x = {-3.067, -2.981, -2.921, -2.912, -2.840, -2.797, -2.702, -2.699, -2.633, -2.481, -2.363, -2.322, -1.501, -1.460,
            -1.274, -1.212, -1.100, -1.046, -0.915, -0.714, -0.566, -0.545, -0.400, -0.309, -0.109, -0.103, 0.010, 0.119, 0.377, 0.790,
            0.963, 1.006, 1.115, 1.572, 1.841, 2.047, 2.200};
        return new Nist("thurber", x, y,
                List.of(new double[] {1000, 1000, 400, 40, 0.7, 0.3, 0.03}, new double[] {1300, 1500, 500, 75, 1, 0.4, 0.05}),
                new double[] {1.2881396800E+03, 1.4910792535E+03, 5.8323836877E+02, 7.5416644291E+01, 9.6629502864E-01,
                    3.9797285797E-01, 4.9727297349E-02}, 5.6427082397E+03) {
            public void residuals(double[] b, double[] r) {
                for (int i = 0; i < xs.length; i++) {
                    double t = xs[i];
                    double p = b[0] + t * (b[1] + t * (b[2] + t * b[3]));
                    double q = 1 + t * (b[4] + t * (b[5] + t * b[6]));
                    r[i] = ys[i] - p / q;
                }
            }

            protected void jacobian(double[] b, double[] j) {
                for (int i = 0; i < xs.length; i++) {
                    double t = xs[i];
                    double p = b[0] + t * (b[1] + t * (b[2] + t * b[3]));
                    double q = 1 + t * (b[4] + t * (b[5] + t * b[6]));
                    double pow = 1;
                    for (int k = 0; k < 4; k++) {
                        j[7 * i + k] = -pow / q;
                        pow *= t;
                    }
                    pow = t;
                    for (int k = 4; k < 7; k++) {
                        j[7 * i + k] = p * pow / (q * q);
                        pow *= t;
                    }
                }
            }
        };
    }

    /**
     * MGH09 (Kowalik &amp; Osborne, as NIST certifies it): y = b₁(x² + xb₂)/(x² + xb₃ + b₄), 11 observations,
     * 4 parameters. Its first starting point is famously hard.
     */
    public static Nist mgh09() {
        double[] y = {1.957000E-01, 1.947000E-01, 1.735000E-01, 1.600000E-01, 8.440000E-02, 6.270000E-02, 4.560000E-02, 3.420000E-02,
            3.230000E-02, 2.350000E-02, 2.460000E-02};
        double[] x = {4.000000E+00, 2.000000E+00, 1.000000E+00, 5.000000E-01, 2.500000E-01, 1.670000E-01, 1.250000E-01, 1.000000E-01,
            8.330000E-02, 7.140000E-02, 6.250000E-02};
        return new Nist("mgh09", x, y, List.of(new double[] {25, 39, 41.5, 39}, new double[] {0.25, 0.39, 0.415, 0.39}),
                new double[] {1.9280693458E-01, 1.9128232873E-01, 1.2305650693E-01, 1.3606233068E-01}, 3.0750560385E-04) {
            public void residuals(double[] b, double[] r) {
                for (int i = 0; i < xs.length; i++) {
                    double t = xs[i];
                    r[i] = ys[i] - b[0] * (t * t + t * b[1]) / (t * t + t * b[2] + b[3]);
                }
            }

            protected void jacobian(double[] b, double[] j) {
                for (int i = 0; i < xs.length; i++) {
                    double t = xs[i];
                    double num = t * t + t * b[1];
                    double den = t * t + t * b[2] + b[3];
                    j[4 * i] = -num / den;
                    j[4 * i + 1] = -b[0] * t / den;
                    j[4 * i + 2] = b[0] * num * t / (den * den);
                    j[4 * i + 3] = b[0] * num / (den * den);
                }
            }
        };
    }
}
