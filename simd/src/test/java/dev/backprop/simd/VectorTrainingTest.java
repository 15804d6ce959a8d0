package dev.backprop.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.Activation;
import dev.backprop.Cost;
import dev.backprop.Dataset;
import dev.backprop.Network;
import dev.backprop.Precision;
import dev.backprop.Regularization;
import dev.backprop.kernel.Kernels;
import dev.backprop.kernel.Vec;
import dev.backprop.optim.Adam;
import dev.backprop.train.Trainer;
import dev.backprop.train.TrainingConfig;
import dev.backprop.util.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole networks on the Vector API kernels: the gradient of a float64 network equals the scalar reference's to
 * rounding (forward and backward through every vectorised activation, at batch sizes that leave vector tails and
 * cross GEMM blocks), and training is deterministic for a given thread count.
 */
class VectorTrainingTest {

    private static Dataset data(int n, int inputs, int classes, long seed) {
        Rng rng = new Rng(seed);
        double[][] x = new double[n][inputs];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < inputs; j++) {
                x[i][j] = rng.uniform(-1, 1);
            }
            labels[i] = rng.nextInt(classes);
        }
        return Dataset.ofLabels(x, labels, classes);
    }

    @ParameterizedTest(name = "hidden {0}")
    @ValueSource(strings = {"relu", "tanh", "sigmoid"})
    void float64GradientMatchesTheScalarReference(String hidden) {
        Activation f = switch (hidden) {
            case "relu" -> Activation.relu();
            case "tanh" -> Activation.tanh();
            default -> Activation.sigmoid();
        };
        Network vector = Network.builder(37).precision(Precision.FLOAT64).dense(300, f).dense(33, f).dense(7, Activation.softmax())
                .cost(Cost.crossEntropy()).build(11);
        assertInstanceOf(VectorDoubleKernels.class, vector.kernels());
        Network scalar = vector.copy(Kernels.scalar(Precision.FLOAT64));
        Dataset d = data(203, 37, 7, 5);
        int[] order = new int[d.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (Network net : new Network[] {vector, scalar}) {
            net.setThreads(2);
        }
        double jv = vector.computeGradient(d, order, 0, d.size(), new Regularization(1e-3, 0), null);
        double js = scalar.computeGradient(d, order, 0, d.size(), new Regularization(1e-3, 0), null);
        assertEquals(js, jv, 1e-12 * Math.abs(js), "objective");
        Vec gv = vector.gradient(), gs = scalar.gradient();
        double diff = 0, norm = 0;
        for (int i = 0; i < gs.length(); i++) {
            diff = Math.max(diff, Math.abs(gv.get(i) - gs.get(i)));
            norm = Math.max(norm, Math.abs(gs.get(i)));
        }
        assertTrue(diff <= 1e-12 * norm, "max |vector - scalar| = " + diff + " with max |g| = " + norm);
    }

    @Test
    void trainingIsDeterministicForAThreadCount() {
        Dataset d = data(700, 20, 5, 9);
        for (int threads : new int[] {1, 2}) {
            Vec first = null;
            for (int run = 0; run < 2; run++) {
                Network net = Network.builder(20).dense(64, Activation.relu()).dense(5, Activation.softmax()).cost(Cost.crossEntropy())
                        .build(3);
                net.setThreads(threads);
                new Trainer(TrainingConfig.defaults().withOptimizer(new Adam(1e-2)).withBatchSize(100).withEpochs(3)).fit(net, d);
                if (first == null) {
                    first = net.parameters().toPrecision(Precision.FLOAT32);
                } else {
                    assertTrue(first.bitEquals(net.parameters()), "same seed, data and " + threads + " threads: the same bits");
                }
            }
        }
    }
}
