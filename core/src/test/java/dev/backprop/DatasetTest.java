package dev.backprop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DatasetTest {

    @Test
    void refusesNonFiniteValuesNamingWhere() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(new double[][] {{1, 2}, {3, Double.NaN}}, new double[][] {{0}, {1}}));
        assertTrue(e.getMessage().contains("feature value NaN in example 1, column 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(new double[][] {{1, 2}}, new double[][] {{Double.POSITIVE_INFINITY}}));
        assertTrue(e.getMessage().contains("target value Infinity in example 0, column 0"), e.getMessage());
    }

    @Test
    void refusesRaggedRowsAndMismatchedCounts() {
        assertThrows(IllegalArgumentException.class, () -> Dataset.of(new double[][] {{1, 2}, {3}}, new double[][] {{0}, {1}}));
        assertThrows(IllegalArgumentException.class, () -> Dataset.of(new double[][] {{1}}, new double[][] {{0}, {1}}));
        assertThrows(IllegalArgumentException.class, () -> Dataset.of(new double[0][], new double[0][]));
    }

    @Test
    void labelsAreOneHotEncoded() {
        Dataset d = Dataset.ofLabels(new double[][] {{0}, {1}, {2}}, new int[] {2, 0, 1}, 3);
        assertArrayEquals(new double[] {0, 0, 1}, d.targetRow(0));
        assertEquals(1, d.label(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.ofLabels(new double[][] {{0}}, new int[] {3}, 3));
        assertTrue(e.getMessage().contains("label 3"));
    }

    @Test
    void splitIsSeededDisjointAndComplete() {
        double[][] x = new double[100][1];
        double[][] y = new double[100][1];
        for (int i = 0; i < 100; i++) {
            x[i][0] = i;
            y[i][0] = i;
        }
        Dataset d = Dataset.of(x, y);
        Dataset.Split s = d.split(0.8, 5);
        assertEquals(80, s.first().size());
        assertEquals(20, s.second().size());
        boolean[] seen = new boolean[100];
        for (Dataset part : new Dataset[] {s.first(), s.second()}) {
            for (int i = 0; i < part.size(); i++) {
                int v = (int) part.featureRow(i)[0];
                assertTrue(!seen[v], "example " + v + " in both parts");
                seen[v] = true;
            }
        }
        assertEquals(s.first().fingerprint(), d.split(0.8, 5).first().fingerprint());
        assertNotEquals(s.first().fingerprint(), d.split(0.8, 6).first().fingerprint());
    }

    @Test
    void targetsAreCheckedAgainstTheCost() {
        Dataset d = Dataset.of(new double[][] {{0}, {1}}, new double[][] {{0.5}, {1.5}});
        d.checkTargets(Cost.quadratic());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.checkTargets(Cost.binaryCrossEntropy()));
        assertTrue(e.getMessage().contains("example 1, column 0") && e.getMessage().contains("[0, 1]"), e.getMessage());
        Dataset zero = Dataset.of(new double[][] {{0}}, new double[][] {{0}});
        e = assertThrows(IllegalArgumentException.class, () -> zero.checkTargets(Cost.itakuraSaito()));
        assertTrue(e.getMessage().contains("targets > 0"), e.getMessage());
    }

    @Test
    void floatStorageIsKept() {
        Dataset d = Dataset.wrap(new float[] {1, 2, 3, 4}, new float[] {0, 1}, 2, 1);
        assertEquals(Precision.FLOAT32, d.storage());
        assertEquals(2, d.size());
        assertArrayEquals(new double[] {3, 4}, d.featureRow(1));
    }
    /** Bytes 0..255 in an awkward order (the upper half must not read as negative), n×3 features, and their float twin. */
    private static byte[] pixels(int n) {
        byte[] b = new byte[n * 3];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 37 + 200);
        }
        return b;
    }

    private static float[] widened(byte[] b) {
        float[] f = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            f[i] = b[i] & 0xff;
        }
        return f;
    }

    private static float[] labels(int n) {
        float[] y = new float[n * 2];
        for (int i = 0; i < n; i++) {
            y[i * 2 + i % 2] = 1;
        }
        return y;
    }

    @Test
    void unsignedByteFeaturesReadAsTheirFloatTwin() {
        byte[] b = pixels(10);
        Dataset bytes = Dataset.wrapUnsignedBytes(b, labels(10), 3, 2);
        Dataset floats = Dataset.wrap(widened(b), labels(10), 3, 2);
        assertTrue(bytes.storesUnsignedBytes());
        assertTrue(!floats.storesUnsignedBytes());
        assertEquals(Precision.FLOAT32, bytes.storage());
        assertEquals(10, bytes.size());
        assertEquals(3, bytes.features());
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(floats.featureRow(i), bytes.featureRow(i));
            assertArrayEquals(floats.targetRow(i), bytes.targetRow(i));
        }
        assertEquals(200.0, bytes.featureRow(0)[0]); // (byte) 200 is -56 as a Java byte
        assertEquals(floats.fingerprint(), bytes.fingerprint(), "the same values give the same fingerprint, whatever the storage");
        assertTrue(bytes.toString().contains("uint8"), bytes.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.wrapUnsignedBytes(new byte[7], new float[2], 3, 1));
        assertTrue(e.getMessage().contains("7 feature values are not a whole number of rows of 3"), e.getMessage());
    }

    @Test
    void unsignedBytesStayBytesThroughSubsetsSplitsAndJoins() {
        byte[] b = pixels(20);
        Dataset bytes = Dataset.wrapUnsignedBytes(b, labels(20), 3, 2);
        Dataset floats = Dataset.wrap(widened(b), labels(20), 3, 2);
        int[] pick = {19, 0, 7, 7};
        assertSame(bytes.subset(pick), floats.subset(pick), true);
        assertSame(bytes.range(3, 9), floats.range(3, 9), true);
        Dataset.Split sb = bytes.split(0.3, 4);
        Dataset.Split sf = floats.split(0.3, 4);
        assertSame(sb.first(), sf.first(), true);
        assertSame(sb.second(), sf.second(), true);
        assertSame(sb.first().concat(sb.second()), sf.first().concat(sf.second()), true);
        Dataset mixed = bytes.concat(floats);
        assertTrue(!mixed.storesUnsignedBytes(), "bytes joined to floats are widened");
        assertSame(mixed, floats.concat(floats), false);
    }

    private static void assertSame(Dataset got, Dataset want, boolean bytes) {
        assertEquals(bytes, got.storesUnsignedBytes());
        assertEquals(want.size(), got.size());
        assertEquals(want.fingerprint(), got.fingerprint());
        for (int i = 0; i < want.size(); i++) {
            assertArrayEquals(want.featureRow(i), got.featureRow(i));
        }
    }

    @Test
    void shuffledRowsOfBytesAreCopiedIntoEitherPrecision() {
        byte[] b = pixels(12);
        Dataset bytes = Dataset.wrapUnsignedBytes(b, labels(12), 3, 2);
        Dataset floats = Dataset.wrap(widened(b), labels(12), 3, 2);
        int[] order = {5, 11, 0, 3, 3, 8, 1, 2, 4, 6, 7, 9};
        for (Precision p : Precision.values()) {
            for (dev.backprop.kernel.Kernels k : new dev.backprop.kernel.Kernels[] {null, dev.backprop.kernel.Kernels.scalar(p)}) {
                dev.backprop.kernel.Vec gx = dev.backprop.kernel.Vec.allocate(p, 5 * 3);
                dev.backprop.kernel.Vec gy = dev.backprop.kernel.Vec.allocate(p, 5 * 2);
                dev.backprop.kernel.Vec wx = dev.backprop.kernel.Vec.allocate(p, 5 * 3);
                dev.backprop.kernel.Vec wy = dev.backprop.kernel.Vec.allocate(p, 5 * 2);
                bytes.copyRows(k, order, 4, 5, gx, gy);
                floats.copyRows(order, 4, 5, wx, wy);
                assertTrue(wx.bitEquals(gx), p + " features, kernels " + k);
                assertTrue(wy.bitEquals(gy), p + " targets, kernels " + k);
                assertEquals(b[8 * 3] & 0xff, gx.get(1 * 3), "row 1 of the copy is example order[5] = 8");
            }
        }
    }
}
