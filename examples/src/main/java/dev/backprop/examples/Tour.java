package dev.backprop.examples;

import dev.backprop.Activation;
import dev.backprop.Cost;
import dev.backprop.Dataset;
import dev.backprop.Evaluation;
import dev.backprop.Init;
import dev.backprop.LayerSpec;
import dev.backprop.Network;
import dev.backprop.Precision;
import dev.backprop.Regularization;
import dev.backprop.check.GradientCheck;
import dev.backprop.optim.Adam;
import dev.backprop.optim.Sgd;
import dev.backprop.train.EpochRecord;
import dev.backprop.train.Learner;
import dev.backprop.train.Trainer;
import dev.backprop.train.TrainingConfig;
import dev.backprop.train.TrainingListener;
import dev.backprop.train.TrainingResult;
import dev.backprop.util.Rng;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A tour of the engine on real numbers, the README's main job: the textbook single-weight gradient, an Iris
 * classifier trained with early stopping, a gradient check of it, a model file round trip, and the divergence
 * doctor at work. Writes {@code target/iris.model.json}.
 */
public final class Tour {
    private Tour() {
    }

    public static void main(String[] args) throws IOException {
        // the library logs through System.Logger (java.util.logging by default): one short line per record
        System.setProperty("java.util.logging.SimpleFormatter.format", "  [%4$s] %5$s%n");
        long start = System.nanoTime();
        textbook();
        Network iris = iris();
        check(iris);
        files(iris, args.length > 0 ? Path.of(args[0]) : Path.of("target", "iris.model.json"));
        doctor();
        System.out.printf(Locale.ROOT, "%nTour finished in %.1f s.%n", (System.nanoTime() - start) / 1e9);
    }

    /** One step of the seed question's network ŷ = σ(w·x), E = ½(ŷ − y)², by hand and by backprop. */
    private static void textbook() {
        heading("1. The textbook example: one weight, one sigmoid, learning the identity");
        Network net = Network.builder(1).precision(Precision.FLOAT64)
                .layer(LayerSpec.dense(1, Activation.sigmoid()).withoutBias())
                .cost(Cost.quadratic()).init(Init.uniform(0, 1)).build(7);
        double w = net.parameters().get(0);
        double x = 1;
        double y = 1;
        double yHat = 1 / (1 + Math.exp(-w * x));
        double byHand = (yHat - y) * x * yHat * (1 - yHat);
        net.computeGradient(Dataset.of(new double[][] {{x}}, new double[][] {{y}}), Regularization.NONE);
        double byBackprop = net.gradient().get(0);
        double alpha = 0.5;
        new Learner(net, TrainingConfig.defaults().withOptimizer(new Sgd(alpha))).learn(new double[] {x}, new double[] {y});
        System.out.printf(Locale.ROOT, "w = %.6f, x = %.0f, y = %.0f, y^ = sigma(w x) = %.6f%n", w, x, y, yHat);
        System.out.printf(Locale.ROOT, "dE/dw by hand (y^ - y) x y^ (1 - y^) = %.12f%n", byHand);
        System.out.printf(Locale.ROOT, "dE/dw by backpropagation            = %.12f%n", byBackprop);
        System.out.printf(Locale.ROOT, "after one step, w <- w - %.1f dE/dw  = %.6f%n", alpha, net.parameters().get(0));
    }

    private static Network iris() throws IOException {
        heading("2. Iris: 150 flowers, 4 measurements, 3 species; 4-16-3 tanh/softmax, cross-entropy, Adam");
        Dataset all = loadIris();
        Dataset.Split first = all.split(0.7, 1);
        Dataset.Split rest = first.second().split(0.5, 2);
        Dataset train = first.first();
        Dataset validation = rest.first();
        Dataset test = rest.second();
        System.out.printf("train %d, validation %d, test %d examples (seeded split)%n", train.size(), validation.size(), test.size());
        Network net = Network.builder(4)
                .dense(16, Activation.tanh())
                .dense(3, Activation.softmax())
                .cost(Cost.crossEntropy())
                .build(42);
        TrainingConfig config = TrainingConfig.defaults()
                .withOptimizer(new Adam(0.01))
                .withBatchSize(16)
                .withEpochs(500)
                .withL2(1e-4)
                .withPatience(30);
        TrainingListener progress = new TrainingListener() {
            @Override
            public void onEpoch(EpochRecord r) {
                if (r.epoch() == 1 || r.epoch() % 25 == 0) {
                    System.out.println("  " + r.summary());
                }
            }
        };
        TrainingResult result = new Trainer(config, progress).fit(net, train, validation);
        System.out.println(result.message());
        Evaluation e = net.evaluate(test);
        System.out.printf(Locale.ROOT, "test accuracy %.3f (%d of %d flowers)%n", e.accuracy(), Math.round(e.accuracy() * test.size()), test.size());
        int[][] confusion = new int[3][3];
        double[][] out = net.predict(test);
        for (int i = 0; i < test.size(); i++) {
            confusion[test.label(i)][argmax(out[i])]++;
        }
        System.out.println("confusion (rows: true setosa, versicolor, virginica; columns: predicted)");
        for (int[] row : confusion) {
            System.out.println("  " + Arrays.toString(row));
        }
        return net;
    }

    private static void check(Network net) throws IOException {
        heading("3. Gradient check of the trained network: backprop against central differences (float64)");
        Dataset sample = loadIris().range(0, 20);
        System.out.print(GradientCheck.run(net, sample, Regularization.l2(1e-4)).summary());
    }

    private static void files(Network net, Path file) throws IOException {
        heading("4. Model file: JSON with W[out][in] and b, written atomically");
        Files.createDirectories(file.toAbsolutePath().getParent());
        net.save(file);
        Network back = Network.load(file);
        Path again = file.resolveSibling(file.getFileName() + ".again");
        back.save(again);
        boolean same = Arrays.equals(Files.readAllBytes(file), Files.readAllBytes(again));
        Files.delete(again);
        System.out.printf("saved %s (%d bytes); loaded it back: %s; saved again byte-identical: %s%n", file, Files.size(file), back, same);
    }

    private static void doctor() {
        heading("5. The divergence doctor: gradient descent at learning rate 100 on a sine regression");
        Rng rng = new Rng(3);
        double[][] x = new double[200][1];
        double[][] y = new double[200][1];
        for (int i = 0; i < x.length; i++) {
            x[i][0] = rng.uniform(-Math.PI, Math.PI);
            y[i][0] = Math.sin(x[i][0]) + 0.1 * rng.nextGaussian();
        }
        Dataset sine = Dataset.of(x, y);
        Network net = Network.builder(1).dense(16, Activation.tanh()).dense(1, Activation.identity()).cost(Cost.quadratic()).build(2);
        TrainingResult stopped = new Trainer(TrainingConfig.defaults().withOptimizer(new Sgd(100)).withEpochs(50)).fit(net, sine);
        System.out.println(stopped.message());
        Network again = Network.builder(1).dense(16, Activation.tanh()).dense(1, Activation.identity()).cost(Cost.quadratic()).build(2);
        TrainingResult recovered = new Trainer(TrainingConfig.defaults().withOptimizer(new Sgd(100)).withEpochs(50).withRecovery(true))
                .fit(again, sine);
        System.out.println("with recovery on: " + recovered.recoveries().size() + " recoveries, then " + recovered.message());
        System.out.println("  " + again.evaluate(sine));
    }

    private static Dataset loadIris() throws IOException {
        List<double[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> species = List.of("setosa", "versicolor", "virginica");
        try (InputStream in = Tour.class.getResourceAsStream("iris.csv");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            r.readLine();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] p = line.split(",");
                rows.add(new double[] {Double.parseDouble(p[0]), Double.parseDouble(p[1]), Double.parseDouble(p[2]), Double.parseDouble(p[3])});
                labels.add(species.indexOf(p[4]));
            }
        }
        double[][] x = rows.toArray(double[][]::new);
        standardise(x);
        return Dataset.ofLabels(x, labels.stream().mapToInt(Integer::intValue).toArray(), 3);
    }

    private static void standardise(double[][] x) {
        for (int c = 0; c < x[0].length; c++) {
            double mean = 0;
            double sq = 0;
            for (double[] row : x) {
                mean += row[c];
            }
            mean /= x.length;
            for (double[] row : x) {
                sq += (row[c] - mean) * (row[c] - mean);
            }
            double sd = Math.sqrt(sq / x.length);
            for (double[] row : x) {
                row[c] = (row[c] - mean) / sd;
            }
        }
    }

    private static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static void heading(String title) {
        System.out.println();
        System.out.println(title);
        System.out.println("-".repeat(Math.min(title.length(), 100)));
    }
}
