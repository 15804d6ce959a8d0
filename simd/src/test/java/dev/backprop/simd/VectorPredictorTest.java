package dev.backprop.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.backprop.Activation;
import dev.backprop.Cost;
import dev.backprop.Network;
import dev.backprop.Precision;
import dev.backprop.Predictor;
import dev.backprop.util.Rng;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The {@link Predictor} on the Vector API kernels: the network's bits, and no allocation per call once warm. */
class VectorPredictorTest {

    private static Network net(Precision p) {
        return Network.builder(96).precision(p).dense(64, Activation.relu()).dense(32, Activation.relu()).dense(10, Activation.softmax())
                .cost(Cost.crossEntropy()).build(7);
    }

    private static double[][] rows(int n, int d, long seed) {
        Rng rng = new Rng(seed);
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) rng.uniform(-1, 1); // float-exact, so the float form sees the same inputs
            }
        }
        return x;
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void equalsNetworkPredictBitForBitOnTheVectorKernels(Precision precision) {
        Network net = net(precision);
        Class<?> expectedKernels = precision == Precision.FLOAT32 ? VectorFloatKernels.class : VectorDoubleKernels.class;
        assertInstanceOf(expectedKernels, net.kernels());
        Predictor p = Predictor.of(net);
        assertEquals(net.kernels(), p.kernels());
        for (int n : new int[] {1, 5, 128, 1500}) {
            double[][] x = rows(n, 96, n);
            double[][] expected = net.predict(x);
            double[][] got = p.predict(x);
            float[] flat = new float[n * 96];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < 96; j++) {
                    flat[i * 96 + j] = (float) x[i][j];
                }
            }
            float[] out = new float[n * 10];
            p.predict(flat, n, out);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < 10; j++) {
                    assertEquals(Double.doubleToRawLongBits(expected[i][j]), Double.doubleToRawLongBits(got[i][j]), "row " + i);
                    assertEquals(Float.floatToRawIntBits((float) expected[i][j]), Float.floatToRawIntBits(out[i * 10 + j]), "float row " + i);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void theOutputArrayFormAllocatesNothingOnceWarm(Precision precision) {
        Predictor p = Predictor.of(net(precision));
        int n = 64;
        float[] x = new float[n * 96];
        double[][] r = rows(n, 96, 3);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 96; j++) {
                x[i * 96 + j] = (float) r[i][j];
            }
        }
        float[] out = new float[n * 10];
        for (int i = 0; i < 3000; i++) {
            p.predict(x, n, out);
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        double best = Double.POSITIVE_INFINITY;
        for (int round = 0; round < 20 && best > 0; round++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            int calls = 300;
            for (int i = 0; i < calls; i++) {
                p.predict(x, n, out);
            }
            best = Math.min(best, (mx.getCurrentThreadAllocatedBytes() - before) / (double) calls);
        }
        assertEquals(0.0, best, "bytes allocated per call in steady state");
    }
}
