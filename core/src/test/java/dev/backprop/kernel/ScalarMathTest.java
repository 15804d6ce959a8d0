package dev.backprop.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ScalarMathTest {

    /** Reference values from mpmath at 30 digits. */
    @Test
    void erfAndErfcAreAccurateEverywhere() {
        assertEquals(0.5204998778130465, ScalarMath.erf(0.5), 2.3e-16); // within 2 ulp
        assertEquals(-0.5204998778130465, ScalarMath.erf(-0.5), 2.3e-16);
        assertEquals(0.9995928300996666, ScalarMath.erf(2.4999), 5e-16); // within 4 ulp
        assertRelative(2.209049699858544e-05, ScalarMath.erfc(3), 1e-14);
        assertRelative(1.537459794428035e-12, ScalarMath.erfc(5), 1e-14);
        assertRelative(0.0004067342434706797, ScalarMath.erfc(2.5001), 1e-14);
        assertRelative(1.9999779095030015, ScalarMath.erfc(-3), 1e-15);
        assertEquals(0.0, ScalarMath.erf(0.0));
        assertEquals(1.0, ScalarMath.erf(30));
        assertEquals(0.0, ScalarMath.erfc(30));
    }

    @Test
    void geluIsAccurateInTheLeftTail() {
        // mpmath: -7.6 * ncdf(-7.6) = -1.12529684924365461523e-13; the naive ½z(1 + erf(z/√2)) is 0.1% off here
        assertRelative(-1.12529684924365461523e-13, ScalarMath.gelu(-7.6), 1e-13);
        assertEquals(0.0, ScalarMath.gelu(0.0));
        assertRelative(0.8413447460685429, ScalarMath.gelu(1.0), 1e-15);
    }

    @Test
    void sigmoidAndSoftplusNeverOverflow() {
        assertEquals(1.0, ScalarMath.sigmoid(800));
        assertEquals(0.0, ScalarMath.sigmoid(-800));
        assertRelative(Math.exp(-40), ScalarMath.sigmoid(-40), 1e-15);
        assertEquals(800.0, ScalarMath.softplus(800));
        assertRelative(Math.exp(-50), ScalarMath.softplus(-50), 1e-15);
        assertRelative(Math.log(2), ScalarMath.softplus(0), 1e-16);
        assertEquals(800.0, ScalarMath.binaryCrossEntropyFromLogit(-800, 1), 1e-12);
        assertEquals(0.0, ScalarMath.binaryCrossEntropyFromLogit(800, 1), 1e-300);
    }

    @Test
    void costTermsFollowTheZeroLogZeroConvention() {
        assertEquals(0.0, ScalarMath.xLogX(0), 0.0);
        assertEquals(0.0, ScalarMath.xLogY(0, 0), 0.0);
        assertEquals(0.0, ScalarMath.kullbackLeibler(0.3, 0), 0.0);
        assertEquals(0.0, ScalarMath.binaryCrossEntropy(0.0, 0.0), 0.0);
        assertEquals(0.0, ScalarMath.binaryCrossEntropy(1.0, 1.0), 0.0);
        assertEquals(0.0, ScalarMath.itakuraSaito(0.4, 0.4), 1e-16);
        assertEquals(0.0, ScalarMath.hellinger(0.4, 0.4));
    }

    /** The Quickprop rule by hand (FANN's branches), with ε = 0.5, μ = 1.75, shrink = μ/(1+μ) = 0.636. */
    @Test
    void quickpropRuleBranches() {
        // no previous step: plain gradient step ε·s
        assertEquals(0.5 * 0.2, ScalarMath.quickpropStep(0.2, 0, 0, 0.5, 1.75), 1e-15);
        // previous step +0.1, slope shrank from 0.4 to 0.1 (< shrink·0.4): secant 0.1·0.1/(0.4−0.1) plus ε·s
        assertEquals(0.5 * 0.1 + 0.1 * 0.1 / 0.3, ScalarMath.quickpropStep(0.1, 0.4, 0.1, 0.5, 1.75), 1e-15);
        // previous step +0.1, slope barely changed (0.39 > shrink·0.4): capped at μ·Δ plus ε·s
        assertEquals(0.5 * 0.39 + 1.75 * 0.1, ScalarMath.quickpropStep(0.39, 0.4, 0.1, 0.5, 1.75), 1e-15);
        // previous step +0.1, slope reversed to −0.2: no linear term, secant 0.1·(−0.2)/(0.4+0.2)
        assertEquals(0.1 * -0.2 / 0.6, ScalarMath.quickpropStep(-0.2, 0.4, 0.1, 0.5, 1.75), 1e-15);
        // equal slopes against the previous step: the secant is undefined, so a plain gradient step (downhill)
        assertEquals(0.5 * -0.4, ScalarMath.quickpropStep(-0.4, -0.4, 0.1, 0.5, 1.75), 1e-15);
        // mirrored for a negative previous step
        assertEquals(0.5 * -0.1 + -0.1 * -0.1 / (-0.4 + 0.1), ScalarMath.quickpropStep(-0.1, -0.4, -0.1, 0.5, 1.75), 1e-15);
    }

    private static void assertRelative(double expected, double actual, double rel) {
        assertEquals(expected, actual, Math.abs(expected) * rel);
    }
}
