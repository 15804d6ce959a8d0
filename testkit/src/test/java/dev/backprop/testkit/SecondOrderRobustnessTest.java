package dev.backprop.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.secondorder.BayesianRegularization;
import dev.backprop.secondorder.LevenbergMarquardt;
import dev.backprop.secondorder.Limits;
import dev.backprop.secondorder.Minimizer;
import dev.backprop.secondorder.Result;
import dev.backprop.secondorder.Stop;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cases that once hung or went wrong: μ underflowing to zero, non-finite curvature in Bayesian regularization. */
class SecondOrderRobustnessTest {

    @Test
    void muDoesNotUnderflowToZero() {
        // Powell's singular function has a singular JᵀJ at its minimum. With mu_dec = 1e-200 two successes would make
        // μ exactly 0, and then no failed trial could ever raise it again.
        LeastSquaresProblem powell = TestFunctions.powellSingular();
        double[] x0 = powell.starts().getFirst();
        Result r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Minimizer.minimize(new LevenbergMarquardt(1e-3, 1e-200, 10, 1e10),
                powell, x0, Limits.defaults().withMinGradientNorm(0).withMaxIterations(500)));
        assertTrue(r.value() < 1e-12, r.message());
        Result br = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Minimizer.minimize(new BayesianRegularization(1e-3, 1e-200, 10, 1e10),
                powell, x0, Limits.defaults().withMinGradientNorm(0).withMaxIterations(200)));
        assertTrue(Double.isFinite(br.value()), br.message());
    }

    @Test
    void nonFiniteCurvatureStopsBayesianRegularization() {
        // a finite sum of squares whose Jacobian is NaN once x0 > 0.5: BR must stop, not spin in its trace loop
        LeastSquaresProblem broken = new LeastSquaresProblem("nan_jacobian", 3, 2, List.<double[]>of(new double[] {-1, 0}), 0, null) {
            public void residuals(double[] x, double[] r) {
                r[0] = x[0] - 1;
                r[1] = x[1] - 2;
                r[2] = 0.1 * x[0] * x[1];
            }

            protected void jacobian(double[] x, double[] j) {
                j[0] = 1;
                j[1] = 0;
                j[2] = 0;
                j[3] = 1;
                j[4] = x[0] > 0.5 ? Double.NaN : 0.1 * x[1];
                j[5] = 0.1 * x[0];
            }
        };
        Result r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Minimizer.minimize(new BayesianRegularization(), broken,
                broken.starts().getFirst(), Limits.defaults()));
        assertEquals(Stop.NOT_FINITE, r.reason(), r.message());
        assertTrue(r.message().contains("NaN or infinite"), r.message());
    }
}
