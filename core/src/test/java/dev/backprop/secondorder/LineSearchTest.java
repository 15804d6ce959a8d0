package dev.backprop.secondorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The shared line searches: the conditions they promise hold at the step they return. */
class LineSearchTest {

    /** Rosenbrock's function 100(x₂ − x₁²)² + (1 − x₁)². */
    static final Objective ROSENBROCK = new Objective() {
        public int dimension() {
            return 2;
        }

        public double value(double[] x) {
            return valueAndGradient(x, new double[2]);
        }

        public double valueAndGradient(double[] x, double[] g) {
            double a = x[1] - x[0] * x[0];
            double b = 1 - x[0];
            g[0] = -400 * x[0] * a - 2 * b;
            g[1] = 200 * a;
            return 100 * a * a + b * b;
        }
    };

    @Test
    void strongWolfeConditionsHoldAtTheReturnedStep() {
        double[][] starts = {{-1.2, 1}, {0, 0}, {2, 2}, {-0.5, 0.7}};
        for (double[] x : starts) {
            for (double alpha0 : new double[] {1e-4, 1e-2, 1, 10}) {
                double[] g = new double[2];
                double fx = ROSENBROCK.valueAndGradient(x, g);
                double[] d = {-g[0], -g[1]};
                double[] xNew = new double[2];
                double[] gNew = new double[2];
                double c1 = 1e-4;
                double c2 = 0.9;
                LineSearch.Outcome o = LineSearch.strongWolfe(ROSENBROCK, x, fx, g, d, alpha0, c1, c2, 25, xNew, gNew);
                assertTrue(o.ok(), "from " + x[0] + "," + x[1] + " alpha0 " + alpha0);
                double slope = Matrices.dot(g, d);
                assertTrue(o.value() <= fx + c1 * o.alpha() * slope, "sufficient decrease");
                assertTrue(Math.abs(Matrices.dot(gNew, d)) <= c2 * Math.abs(slope), "curvature");
                assertEquals(ROSENBROCK.value(xNew), o.value(), 0);
                assertEquals(x[0] + o.alpha() * d[0], xNew[0], 1e-15);
            }
        }
    }

    @Test
    void armijoBacktracksByHalvingUntilSufficientDecrease() {
        double[] x = {-1.2, 1};
        double[] g = new double[2];
        double fx = ROSENBROCK.valueAndGradient(x, g);
        double[] d = {-g[0], -g[1]};
        double[] xNew = new double[2];
        double[] gNew = new double[2];
        LineSearch.Outcome o = LineSearch.armijo(ROSENBROCK, x, fx, g, d, 1.0, 1e-4, xNew, gNew);
        assertTrue(o.ok());
        double slope = Matrices.dot(g, d);
        assertTrue(o.value() <= fx + 1e-4 * o.alpha() * slope);
        // the step before it (twice as long) did not decrease enough
        double prev = 2 * o.alpha();
        double fPrev = ROSENBROCK.value(new double[] {x[0] + prev * d[0], x[1] + prev * d[1]});
        assertTrue(fPrev > fx + 1e-4 * prev * slope);
        assertEquals(Math.round(Math.log(o.alpha()) / Math.log(0.5)) + 1, o.evaluations());
    }

    @Test
    void anAscentDirectionIsRefused() {
        double[] x = {-1.2, 1};
        double[] g = new double[2];
        double fx = ROSENBROCK.valueAndGradient(x, g);
        double[] up = {g[0], g[1]};
        assertFalse(LineSearch.armijo(ROSENBROCK, x, fx, g, up, 1, 1e-4, new double[2], new double[2]).ok());
        assertFalse(LineSearch.strongWolfe(ROSENBROCK, x, fx, g, up, 1, 1e-4, 0.9, 25, new double[2], new double[2]).ok());
    }

    @Test
    void cubicInterpolationFindsTheMinimumOfAQuadraticExactly() {
        // f(t) = (t − 0.3)²: f(0) = 0.09, f'(0) = −0.6, f(1) = 0.49, f'(1) = 1.4
        assertEquals(0.3, LineSearch.cubic(0, 0.09, -0.6, 1, 0.49, 1.4, 0, 1), 1e-12);
        // and stays inside the bounds it is given
        double t = LineSearch.cubic(0, 0.09, -0.6, 1, 0.49, 1.4, 0.5, 1);
        assertTrue(t >= 0.5 && t <= 1, "t = " + t);
    }
}
