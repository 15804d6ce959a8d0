package dev.backprop.export;

import dev.backprop.Dataset;
import dev.backprop.util.Rng;

/** The synthetic data the export tests train on: 600 rows of 4 features, 3 overlapping classes and a smooth target. */
final class ExportData {
    private ExportData() {
    }

    /** A 75/25 split of the 3-class problem and of the regression problem on the same features (seeded). */
    record Splits(Dataset.Split classes, Dataset.Split values) {
    }

    static Splits make() {
        Rng rng = new Rng(21);
        int n = 600;
        double[][] x = new double[n][4];
        int[] labels = new int[n];
        double[][] y = new double[n][1];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            for (int j = 0; j < 4; j++) {
                x[i][j] = 50 + 20 * j + 8 * (labels[i] == j % 3 ? 1 : 0) + 5 * rng.nextGaussian();
            }
            y[i][0] = Math.sin(x[i][0] / 10) + x[i][1] / 100;
        }
        return new Splits(Dataset.ofLabels(x, labels, 3).split(0.75, 5), Dataset.of(x, y).split(0.75, 5));
    }
}
