package dev.backprop.secondorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Cases that once hung or went wrong: μ underflowing to zero, non-finite curvature in Bayesian regularization. */
class RobustnessTest {

    /** Powell's singular function (MGH 13) as a sum of squares: JᵀJ is singular at the minimum. */
    static final LeastSquares POWELL = new LeastSquares() {
        public int dimension() {
            return 4;
        }

        public int residualCount() {
            return 4;
        }

        public void residuals(double[] x, double[] r) {
            r[0] = x[0] + 10 * x[1];
            r[1] = Math.sqrt(5) * (x[2] - x[3]);
            r[2] = (x[1] - 2 * x[2]) * (x[1] - 2 * x[2]);
            r[3] = Math.sqrt(10) * (x[0] - x[3]) * (x[0] - x[3]);
        }

        double[] jacobian(double[] x) {
            double u = x[1] - 2 * x[2];
            double w = x[0] - x[3];
            return new double[] {1, 10, 0, 0, 0, 0, Math.sqrt(5), -Math.sqrt(5), 0, 2 * u, -4 * u, 0, 2 * Math.sqrt(10) * w, 0, 0,
                -2 * Math.sqrt(10) * w};
        }

        public double value(double[] x) {
            double[] r = new double[4];
            residuals(x, r);
            return 0.5 * Matrices.dot(r, r);
        }

        public double valueAndGradient(double[] x, double[] g) {
            return normalEquations(x, new double[16], g);
        }

        public double normalEquations(double[] x, double[] jtj, double[] jtr) {
            double[] r = new double[4];
            residuals(x, r);
            double[] j = jacobian(x);
            for (int a = 0; a < 4; a++) {
                jtr[a] = 0;
                for (int b = 0; b < 4; b++) {
                    double s = 0;
                    for (int i = 0; i < 4; i++) {
                        s += j[i * 4 + a] * j[i * 4 + b];
                    }
                    jtj[a * 4 + b] = s;
                }
                for (int i = 0; i < 4; i++) {
                    jtr[a] += j[i * 4 + a] * r[i];
                }
            }
            return 0.5 * Matrices.dot(r, r);
        }
    };

    @Test
    void muDoesNotUnderflowToZero() {
        // mu_dec = 1e-200: two successes would make μ exactly 0, and then no failed trial could ever raise it
        Result r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Minimizer.minimize(new LevenbergMarquardt(1e-3, 1e-200, 10, 1e10),
                POWELL, new double[] {3, -1, 0, 1}, Limits.defaults().withMinGradientNorm(0).withMaxIterations(500)));
        assertTrue(r.value() < 1e-12, r.message());
        Result br = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Minimizer.minimize(new BayesianRegularization(1e-3, 1e-200, 10, 1e10),
                POWELL, new double[] {3, -1, 0, 1}, Limits.defaults().withMinGradientNorm(0).withMaxIterations(200)));
        assertTrue(Double.isFinite(br.value()), br.message());
    }

    @Test
    void nonFiniteCurvatureStopsBayesianRegularization() {
        // a finite sum of squares whose Jacobian is NaN once x0 > 0.5: BR must stop, not spin in its trace loop
        LeastSquares broken = new LeastSquares() {
            public int dimension() {
                return 2;
            }

            public int residualCount() {
                return 3;
            }

            public void residuals(double[] x, double[] r) {
                r[0] = x[0] - 1;
                r[1] = x[1] - 2;
                r[2] = 0.1 * x[0] * x[1];
            }

            public double value(double[] x) {
                double[] r = new double[3];
                residuals(x, r);
                return 0.5 * Matrices.dot(r, r);
            }

            public double valueAndGradient(double[] x, double[] g) {
                return normalEquations(x, new double[4], g);
            }

            public double normalEquations(double[] x, double[] jtj, double[] jtr) {
                double[] r = new double[3];
                residuals(x, r);
                double[] j = {1, 0, 0, 1, 0.1 * x[1], 0.1 * x[0]};
                if (x[0] > 0.5) {
                    j[4] = Double.NaN;
                }
                for (int a = 0; a < 2; a++) {
                    jtr[a] = 0;
                    for (int b = 0; b < 2; b++) {
                        jtj[a * 2 + b] = j[a] * j[b] + j[2 + a] * j[2 + b] + j[4 + a] * j[4 + b];
                    }
                    for (int i = 0; i < 3; i++) {
                        jtr[a] += j[i * 2 + a] * r[i];
                    }
                }
                return 0.5 * Matrices.dot(r, r);
            }
        };
        Result r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Minimizer.minimize(new BayesianRegularization(), broken,
                new double[] {-1, 0}, Limits.defaults()));
        assertEquals(Stop.NOT_FINITE, r.reason(), r.message());
        assertTrue(r.message().contains("NaN or infinite"), r.message());
    }
}
