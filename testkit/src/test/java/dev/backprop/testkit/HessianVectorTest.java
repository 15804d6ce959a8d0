package dev.backprop.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.Activation;
import dev.backprop.Dataset;
import dev.backprop.Network;
import dev.backprop.NetworkBuilder;
import dev.backprop.Precision;
import dev.backprop.Regularization;
import dev.backprop.kernel.Vec;
import dev.backprop.util.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pearlmutter's R-operator against central differences of the gradient, (∇J(θ + εv) − ∇J(θ − εv))/2ε, in
 * float64, for every hidden activation × every valid (cost, output activation) pair, with an L2 penalty.
 */
class HessianVectorTest {

    static Stream<Arguments> cases() {
        List<Arguments> list = new ArrayList<>();
        for (CostCatalog.Pair pair : CostCatalog.validPairs()) {
            list.add(Arguments.of(pair, Activation.identity(), 1));
            for (Activation hidden : CostCatalog.hiddenActivations()) {
                list.add(Arguments.of(pair, hidden, 3));
            }
        }
        return list.stream();
    }

    static double[] finiteDifferenceHv(Network net, Dataset data, Regularization reg, double[] v, double eps) {
        double[] theta = net.parameterArray();
        double[] plus = theta.clone();
        double[] minus = theta.clone();
        for (int i = 0; i < theta.length; i++) {
            plus[i] += eps * v[i];
            minus[i] -= eps * v[i];
        }
        net.setParameters(plus);
        net.computeGradient(data, reg);
        double[] gp = net.gradient().toDoubleArray();
        net.setParameters(minus);
        net.computeGradient(data, reg);
        double[] gm = net.gradient().toDoubleArray();
        net.setParameters(theta);
        double[] hv = new double[theta.length];
        for (int i = 0; i < hv.length; i++) {
            hv[i] = (gp[i] - gm[i]) / (2 * eps);
        }
        return hv;
    }

    @ParameterizedTest(name = "{0} hidden={1} depth={2}")
    @MethodSource("cases")
    void rOperatorMatchesDifferencesOfTheGradient(CostCatalog.Pair pair, Activation hidden, int depth) {
        NetworkBuilder b = Network.builder(4).precision(Precision.FLOAT64);
        for (int l = 0; l < depth - 1; l++) {
            b.dense(5, hidden);
        }
        Network net = b.dense(3, pair.output()).cost(pair.cost()).build(depth * 31L + 7);
        Dataset data = CostCatalog.dataFor(pair, 6, 4, 3, 5);
        Regularization reg = Regularization.l2(0.03);
        Rng rng = new Rng(11);
        double[] v = new double[net.parameterCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextGaussian();
        }
        Vec hv = Vec.allocate(Precision.FLOAT64, v.length);
        net.hessianVector(data, reg, Vec.of(Precision.FLOAT64, v), hv);
        double[] fd = finiteDifferenceHv(net, data, reg, v, 1e-5);
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < v.length; i++) {
            diff += (hv.get(i) - fd[i]) * (hv.get(i) - fd[i]);
            norm += fd[i] * fd[i];
        }
        double rel = Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-12);
        assertTrue(rel < 1e-6, pair + " hidden " + hidden.id() + ": relative error " + rel);
    }

    /** Frozen layers are constants: their part of Hv is zero and their part of v does not matter. */
    @Test
    void frozenLayersContributeNothing() {
        Network net = Network.builder(3).precision(Precision.FLOAT64).dense(4, Activation.tanh()).dense(2, Activation.identity())
                .cost(dev.backprop.Cost.quadratic()).build(2);
        Dataset data = Problems.noisySine(5, 0.1, 1);
        Network wide = Network.builder(1).precision(Precision.FLOAT64).dense(4, Activation.tanh()).dense(1, Activation.identity())
                .cost(dev.backprop.Cost.quadratic()).build(2);
        wide.freeze(0);
        double[] v = new double[wide.parameterCount()];
        java.util.Arrays.fill(v, 1.0);
        Vec hv = Vec.allocate(Precision.FLOAT64, v.length);
        wide.hessianVector(data, Regularization.l2(0.1), Vec.of(Precision.FLOAT64, v), hv);
        for (int i = 0; i < wide.layer(0).parameterCount(); i++) {
            assertEquals(0.0, hv.get(i));
        }
        double[] vOut = v.clone();
        java.util.Arrays.fill(vOut, 0, wide.layer(0).parameterCount(), 0.0);
        wide.unfreeze(0);
        Vec expected = Vec.allocate(Precision.FLOAT64, v.length);
        // with layer 0 unfrozen but v zero there, the output layer's block of Hv is the frozen result
        wide.hessianVector(data, Regularization.l2(0.1), Vec.of(Precision.FLOAT64, vOut), expected);
        for (int i = wide.layer(1).offset(); i < v.length; i++) {
            assertEquals(expected.get(i), hv.get(i), 1e-15);
        }
        assertTrue(net.parameterCount() > 0);
    }
}
