package dev.backprop.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.Activation;
import dev.backprop.Dataset;
import dev.backprop.Network;
import dev.backprop.NetworkBuilder;
import dev.backprop.Precision;
import dev.backprop.Regularization;
import dev.backprop.check.GradientCheck;
import dev.backprop.check.GradientCheckReport;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backpropagation against central differences (float64, relative error ≤ 1e−6 per layer) for every hidden
 * activation × every valid (cost, output activation) pair, with and without an L2 penalty (and once with
 * L1), at depths 1 to 3.
 */
class GradientCheckCatalogTest {
    static final int INPUTS = 4;
    static final int HIDDEN = 5;
    static final int OUTPUTS = 3;

    static Stream<Arguments> cases() {
        List<Arguments> list = new ArrayList<>();
        for (CostCatalog.Pair pair : CostCatalog.validPairs()) {
            for (Regularization reg : List.of(Regularization.NONE, Regularization.l2(0.05))) {
                list.add(Arguments.of(pair, Activation.identity(), 1, reg));
                for (Activation hidden : CostCatalog.hiddenActivations()) {
                    for (int depth = 2; depth <= 3; depth++) {
                        list.add(Arguments.of(pair, hidden, depth, reg));
                    }
                }
            }
            list.add(Arguments.of(pair, Activation.tanh(), 3, new Regularization(0.02, 0.01)));
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0} hidden={1} depth={2} {3}")
    @MethodSource("cases")
    void backpropMatchesCentralDifferences(CostCatalog.Pair pair, Activation hidden, int depth, Regularization reg) {
        NetworkBuilder b = Network.builder(INPUTS).precision(Precision.FLOAT64);
        for (int l = 0; l < depth - 1; l++) {
            b.dense(HIDDEN, hidden);
        }
        Network net = b.dense(OUTPUTS, pair.output()).cost(pair.cost()).build(depth * 1000L + pair.hashCode() % 97);
        Dataset data = CostCatalog.dataFor(pair, 6, INPUTS, OUTPUTS, 17);
        GradientCheckReport report = GradientCheck.run(net, data, reg);
        assertTrue(report.passed(), () -> pair + " hidden " + hidden.id() + " depth " + depth + " " + reg + "\n" + report.summary());
        assertTrue(report.worstRelativeError() <= 1e-6 || report.layers().stream().allMatch(l -> l.backpropNorm() < 1e-7),
                report::summary);
    }
}
