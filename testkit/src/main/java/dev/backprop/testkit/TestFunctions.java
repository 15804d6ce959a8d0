package dev.backprop.testkit;

import java.util.List;

/**
 * Unconstrained test functions from Moré, Garbow &amp; Hillstrom, "Testing unconstrained optimization software",
 * ACM TOMS 7(1), 1981, written as sums of squares f = ½·Σ rᵢ² (the paper's f is Σ rᵢ²; the minimisers are the
 * same and the minima here are half the paper's). Each has its standard starting point and a minimum of 0.
 */
public final class TestFunctions {
    private TestFunctions() {
    }

    /** All of them. */
    public static List<LeastSquaresProblem> all() {
        return List.of(rosenbrock(), extendedRosenbrock(10), powellSingular(), helicalValley(), wood(), beale());
    }

    /** MGH 1: r₁ = 10(x₂ − x₁²), r₂ = 1 − x₁; from (−1.2, 1) to the minimum 0 at (1, 1). */
    public static LeastSquaresProblem rosenbrock() {
        return new LeastSquaresProblem("rosenbrock", 2, 2, List.<double[]>of(new double[] {-1.2, 1}), 0, new double[] {1, 1}) {
            public void residuals(double[] x, double[] r) {
                r[0] = 10 * (x[1] - x[0] * x[0]);
                r[1] = 1 - x[0];
            }

            protected void jacobian(double[] x, double[] j) {
                j[0] = -20 * x[0];
                j[1] = 10;
                j[2] = -1;
                j[3] = 0;
            }
        };
    }

    /** MGH 21: Rosenbrock in n/2 independent pairs, from (−1.2, 1, −1.2, 1, ...) to 0 at (1, ..., 1). */
    public static LeastSquaresProblem extendedRosenbrock(int n) {
        if (n < 2 || n % 2 != 0) {
            throw new IllegalArgumentException("the extended Rosenbrock function needs an even n >= 2, got " + n);
        }
        double[] x0 = new double[n];
        double[] ones = new double[n];
        for (int i = 0; i < n; i += 2) {
            x0[i] = -1.2;
            x0[i + 1] = 1;
            ones[i] = 1;
            ones[i + 1] = 1;
        }
        return new LeastSquaresProblem("extended_rosenbrock_" + n, n, n, List.of(x0), 0, ones) {
            public void residuals(double[] x, double[] r) {
                for (int i = 0; i < n; i += 2) {
                    r[i] = 10 * (x[i + 1] - x[i] * x[i]);
                    r[i + 1] = 1 - x[i];
                }
            }

            protected void jacobian(double[] x, double[] j) {
                java.util.Arrays.fill(j, 0);
                for (int i = 0; i < n; i += 2) {
                    j[i * n + i] = -20 * x[i];
                    j[i * n + i + 1] = 10;
                    j[(i + 1) * n + i] = -1;
                }
            }
        };
    }

    /**
     * MGH 13, Powell's singular function: r = (x₁ + 10x₂, √5(x₃ − x₄), (x₂ − 2x₃)², √10(x₁ − x₄)²), from
     * (3, −1, 0, 1) to 0 at the origin, where the Hessian is singular (so Newton-type methods converge only
     * linearly there).
     */
    public static LeastSquaresProblem powellSingular() {
        double s5 = Math.sqrt(5);
        double s10 = Math.sqrt(10);
        return new LeastSquaresProblem("powell_singular", 4, 4, List.<double[]>of(new double[] {3, -1, 0, 1}), 0, new double[4]) {
            public void residuals(double[] x, double[] r) {
                r[0] = x[0] + 10 * x[1];
                r[1] = s5 * (x[2] - x[3]);
                r[2] = (x[1] - 2 * x[2]) * (x[1] - 2 * x[2]);
                r[3] = s10 * (x[0] - x[3]) * (x[0] - x[3]);
            }

            protected void jacobian(double[] x, double[] j) {
                java.util.Arrays.fill(j, 0);
                j[0] = 1;
                j[1] = 10;
                j[4 + 2] = s5;
                j[4 + 3] = -s5;
                double u = x[1] - 2 * x[2];
                j[8 + 1] = 2 * u;
                j[8 + 2] = -4 * u;
                double w = x[0] - x[3];
                j[12] = 2 * s10 * w;
                j[12 + 3] = -2 * s10 * w;
            }
        };
    }

    /**
     * MGH 7, Fletcher &amp; Powell's helical valley: r = (10(x₃ − 10θ), 10(√(x₁² + x₂²) − 1), x₃) with
     * 2πθ the angle of (x₁, x₂) taken in [−π/2, 3π/2); from (−1, 0, 0) to 0 at (1, 0, 0).
     */
    public static LeastSquaresProblem helicalValley() {
        return new LeastSquaresProblem("helical_valley", 3, 3, List.<double[]>of(new double[] {-1, 0, 0}), 0, new double[] {1, 0, 0}) {
            private double theta(double x1, double x2) {
                double t = Math.atan2(x2, x1) / (2 * Math.PI);
                return t < -0.25 ? t + 1 : t;
            }

            public void residuals(double[] x, double[] r) {
                r[0] = 10 * (x[2] - 10 * theta(x[0], x[1]));
                r[1] = 10 * (Math.hypot(x[0], x[1]) - 1);
                r[2] = x[2];
            }

            protected void jacobian(double[] x, double[] j) {
                double q = x[0] * x[0] + x[1] * x[1];
                double rho = Math.sqrt(q);
                j[0] = 100 * x[1] / (2 * Math.PI * q);
                j[1] = -100 * x[0] / (2 * Math.PI * q);
                j[2] = 10;
                j[3] = 10 * x[0] / rho;
                j[4] = 10 * x[1] / rho;
                j[5] = 0;
                j[6] = 0;
                j[7] = 0;
                j[8] = 1;
            }
        };
    }

    /**
     * MGH 14, Wood's function: r = (10(x₂ − x₁²), 1 − x₁, √90(x₄ − x₃²), 1 − x₃, √10(x₂ + x₄ − 2),
     * (x₂ − x₄)/√10), from (−3, −1, −3, −1) to 0 at (1, 1, 1, 1).
     */
    public static LeastSquaresProblem wood() {
        double s90 = Math.sqrt(90);
        double s10 = Math.sqrt(10);
        return new LeastSquaresProblem("wood", 6, 4, List.<double[]>of(new double[] {-3, -1, -3, -1}), 0, new double[] {1, 1, 1, 1}) {
            public void residuals(double[] x, double[] r) {
                r[0] = 10 * (x[1] - x[0] * x[0]);
                r[1] = 1 - x[0];
                r[2] = s90 * (x[3] - x[2] * x[2]);
                r[3] = 1 - x[2];
                r[4] = s10 * (x[1] + x[3] - 2);
                r[5] = (x[1] - x[3]) / s10;
            }

            protected void jacobian(double[] x, double[] j) {
                java.util.Arrays.fill(j, 0);
                j[0] = -20 * x[0];
                j[1] = 10;
                j[4] = -1;
                j[8 + 2] = -2 * s90 * x[2];
                j[8 + 3] = s90;
                j[12 + 2] = -1;
                j[16 + 1] = s10;
                j[16 + 3] = s10;
                j[20 + 1] = 1 / s10;
                j[20 + 3] = -1 / s10;
            }
        };
    }

    /** MGH 5, Beale's function: rᵢ = yᵢ − x₁(1 − x₂ⁱ), y = (1.5, 2.25, 2.625); from (1, 1) to 0 at (3, 0.5). */
    public static LeastSquaresProblem beale() {
        double[] y = {1.5, 2.25, 2.625};
        return new LeastSquaresProblem("beale", 3, 2, List.<double[]>of(new double[] {1, 1}), 0, new double[] {3, 0.5}) {
            public void residuals(double[] x, double[] r) {
                for (int i = 0; i < 3; i++) {
                    r[i] = y[i] - x[0] * (1 - Math.pow(x[1], i + 1));
                }
            }

            protected void jacobian(double[] x, double[] j) {
                for (int i = 0; i < 3; i++) {
                    j[i * 2] = -(1 - Math.pow(x[1], i + 1));
                    j[i * 2 + 1] = x[0] * (i + 1) * Math.pow(x[1], i);
                }
            }
        };
    }
}
