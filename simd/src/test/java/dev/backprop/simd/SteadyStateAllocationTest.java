package dev.backprop.simd;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.Activation;
import dev.backprop.Cost;
import dev.backprop.Dataset;
import dev.backprop.Network;
import dev.backprop.optim.Adam;
import dev.backprop.train.Learner;
import dev.backprop.train.TrainingConfig;
import dev.backprop.util.Rng;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A training step in steady state allocates nothing: activations, deltas, gradients, optimizer state, packing
 * buffers and thread hand-offs are all made once per (network, batch size). Measured with the JVM's per-thread
 * allocation counters over every thread (the workers included) across 100 mini-batch Adam steps on the Vector API
 * kernels, after warm-up steps that let the JIT settle.
 */
class SteadyStateAllocationTest {

    @ParameterizedTest(name = "threads={0}, features stored as bytes: {1}, hidden layers {2} and {3}")
    @CsvSource({"1, false, 64, 32", "2, false, 64, 32", "1, true, 64, 32", "2, true, 64, 32",
        // widths that leave partial panels in every product (and, on two threads, in every thread's share)
        "1, false, 50, 30", "2, true, 50, 30"})
    void aTrainingStepAllocatesNothing(int threads, boolean bytes, int h1, int h2) {
        Network net = Network.builder(96).dense(h1, Activation.relu()).dense(h2, Activation.relu()).dense(10, Activation.softmax())
                .cost(Cost.crossEntropy()).build(7);
        assertInstanceOf(VectorFloatKernels.class, net.kernels(), "the test runs on the Vector API kernels");
        net.setThreads(threads);
        Rng rng = new Rng(3);
        double[][] x = new double[128][96];
        double[][] y = new double[128][10];
        byte[] px = new byte[128 * 96];
        float[] fy = new float[128 * 10];
        for (int i = 0; i < 128; i++) {
            for (int j = 0; j < 96; j++) {
                x[i][j] = rng.uniform(0, 1);
                px[i * 96 + j] = (byte) rng.nextInt(256);
            }
            int label = rng.nextInt(10);
            y[i][label] = 1;
            fy[i * 10 + label] = 1;
        }
        Dataset batch = bytes ? Dataset.wrapUnsignedBytes(px, fy, 96, 10) : Dataset.of(x, y);
        Learner learner = new Learner(net, TrainingConfig.defaults().withOptimizer(new Adam(1e-3)).withBatchSize(128));
        for (int i = 0; i < 3000; i++) {
            learner.learn(batch);
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // the JIT may still be settling (a test JVM runs other code first): the quietest of several windows counts
        double best = Double.POSITIVE_INFINITY;
        for (int round = 0; round < 20 && best > 0; round++) {
            long[] ids = mx.getAllThreadIds();
            long before = sum(mx.getThreadAllocatedBytes(ids));
            int steps = 200;
            for (int i = 0; i < steps; i++) {
                learner.learn(batch);
            }
            long after = sum(mx.getThreadAllocatedBytes(ids));
            best = Math.min(best, (after - before) / (double) steps);
        }
        assertTrue(best < 16, "a steady-state step allocated " + best + " bytes on average");
    }

    private static long sum(long[] v) {
        long s = 0;
        for (long x : v) {
            s += Math.max(0, x);
        }
        return s;
    }
}
