package dev.backprop.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp and tanh in float lanes built from exactly rounded operations only (add, multiply, fused multiply-add,
 * divide, compare, integer shifts), so that they give the same bits wherever they run: in the interpreter, in C1
 * code and in C2 code. The Vector API's own {@code EXP} and {@code TANH} do not: compiled, they are the JIT's
 * intrinsics, and before that Java's {@code Math} functions, which differ in the last bit for about 1% of inputs
 * (measured here), so a run's weights would depend on when the JIT compiled the activation.
 *
 * <p>The algorithms are those of Cephes' {@code expf} and {@code tanhf} (S. L. Moshier, Cephes Math Library,
 * 1984–1992; the coefficients are his): exp by Cody–Waite reduction x = n·ln 2 + r, |r| ≤ ln2/2, and a
 * degree-7 polynomial; tanh by an odd polynomial below |x| = 0.625 and (1 − e)/(1 + e), e = exp(−2|x|), above.
 * Against float64 Math.tanh and Math.exp rounded to float, over 4 million inputs in ±10 and down to 2⁻³⁰: tanh
 * within 1 ulp, the sigmoid built on this exp within 2 (the conformance suite checks them within 8ε).
 */
final class FloatLanes {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Below this, e^x is under the smallest normal float and is returned as 0 (as Adam's moments are flushed). */
    static final float EXP_MIN = -87.33654f;
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2²³: adding and subtracting it rounds a float of magnitude below 2²² to the nearest integer. */
    private static final float ROUNDER = 12582912f;

    private FloatLanes() {
    }

    /** e^x for x ≤ 0 (larger x are taken as 0); NaN stays NaN. */
    static FloatVector expNonPositive(FloatVector x) {
        FloatVector xc = x.min(0f).max(EXP_MIN);
        FloatVector n = xc.fma(LOG2E, ROUNDER).sub(ROUNDER); // round(x·log₂e), an integer in [−126, 0]
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), xc);
        r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = r.fma(1.9875691500E-4f, 1.3981999507E-3f);
        p = p.fma(r, FloatVector.broadcast(S, 8.3334519073E-3f));
        p = p.fma(r, FloatVector.broadcast(S, 4.1665795894E-2f));
        p = p.fma(r, FloatVector.broadcast(S, 1.6666665459E-1f));
        p = p.fma(r, FloatVector.broadcast(S, 5.0000001201E-1f));
        p = p.mul(r.mul(r)).add(r).add(1f);
        IntVector bits = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        FloatVector e = p.mul(bits.reinterpretAsFloats());
        return e.blend(0f, x.lt(EXP_MIN));
    }

    /** tanh(x); NaN stays NaN, ±0 keeps its sign. */
    static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector s = x.mul(x);
        FloatVector p = s.fma(-5.70498872745E-3f, 2.06390887954E-2f);
        p = p.fma(s, FloatVector.broadcast(S, -5.37397155531E-2f));
        p = p.fma(s, FloatVector.broadcast(S, 1.33314422036E-1f));
        p = p.fma(s, FloatVector.broadcast(S, -3.33332819422E-1f));
        FloatVector small = p.mul(s).fma(x, x);
        FloatVector e = expNonPositive(ax.mul(-2f));
        FloatVector large = FloatVector.broadcast(S, 1f).sub(e).div(e.add(1f));
        large = large.blend(large.neg(), x.lt(0f));
        VectorMask<Float> big = ax.compare(VectorOperators.GE, 0.625f);
        return small.blend(large, big);
    }

    /**
     * σ(x) = 1/(1 + e^−x), in the reference's form that cannot overflow: with e = exp(−|x|), 1/(1 + e) for x ≥ 0 and
     * e/(1 + e) below.
     */
    static FloatVector sigmoid(FloatVector x) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector e = expNonPositive(x.abs().neg());
        return one.blend(e, x.compare(VectorOperators.LT, 0f)).div(e.add(one));
    }
}
