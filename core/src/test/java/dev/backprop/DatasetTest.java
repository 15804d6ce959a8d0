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
}
