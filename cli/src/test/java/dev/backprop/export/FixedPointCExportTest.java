package dev.backprop.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.backprop.Activation;
import dev.backprop.Cost;
import dev.backprop.Dataset;
import dev.backprop.InputScaling;
import dev.backprop.LayerSpec;
import dev.backprop.Network;
import dev.backprop.data.Idx;
import dev.backprop.export.FixedPointCExport.Comparison;
import dev.backprop.export.FixedPointCExport.Format;
import dev.backprop.optim.Adam;
import dev.backprop.train.Trainer;
import dev.backprop.train.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fixed-point C (issue 6) compiled by gcc ({@code -std=c99 -pedantic -Wall -Wextra -Werror}) gives exactly what
 * {@link FixedPointCExport#predict(double[])} emulates (bit for bit; a softmax output, computed with expf, within
 * 1e-6), and its error against the float model stays within what {@link FixedPointCExport#compare} reports; a
 * Fashion-MNIST classifier keeps its accuracy within 1 point in Q15. The gcc parts are skipped without gcc, the
 * Fashion-MNIST test without the dataset.
 */
class FixedPointCExportTest {
    static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    @TempDir
    static Path dir;

    /** Runs the fixed-point C on x and checks it against the emulation; returns the C outputs. */
    static double[][] compiledMatchesEmulation(FixedPointCExport fx, String name, double[][] x, boolean softmax) throws Exception {
        List<Path> files = fx.write(dir.resolve(name + ".c"));
        float[][] c = CCompiler.run(dir, files.get(1), x);
        double[][] e = fx.predict(x);
        assertEquals(x.length, c.length, name);
        double[][] r = new double[c.length][];
        for (int i = 0; i < c.length; i++) {
            r[i] = new double[c[i].length];
            for (int k = 0; k < c[i].length; k++) {
                r[i][k] = c[i][k];
                if (softmax) {
                    assertEquals(e[i][k], c[i][k], 1e-6, name + " row " + i + " output " + k + ": C against the emulation");
                } else {
                    assertEquals(Float.floatToIntBits((float) e[i][k]), Float.floatToIntBits(c[i][k]),
                            name + " row " + i + " output " + k + ": C " + c[i][k] + " against the emulation " + e[i][k]);
                }
            }
        }
        return r;
    }

    /** The worst and mean |c − float| over every output. */
    static double[] errors(double[][] c, double[][] ref) {
        double worst = 0;
        double sum = 0;
        int n = 0;
        for (int i = 0; i < c.length; i++) {
            for (int k = 0; k < c[i].length; k++) {
                double d = Math.abs(c[i][k] - ref[i][k]);
                worst = Math.max(worst, d);
                sum += d;
                n++;
            }
        }
        return new double[] {worst, sum / n};
    }

    static double[][] targets(Dataset d) {
        double[][] y = new double[d.size()][];
        for (int i = 0; i < d.size(); i++) {
            y[i] = d.targetRow(i);
        }
        return y;
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void trainedClassifierAndRegressorWithSigmoidTanhAndReluLayers(Format format) throws Exception {
        assumeTrue(CCompiler.available(), "gcc is not installed");
        ExportData.Splits data = ExportData.make();
        Dataset.Split classes = data.classes();
        Network classifier = Network.builder(4).dense(16, Activation.sigmoid()).dense(12, Activation.tanh()).dense(8, Activation.relu())
                .dense(3, Activation.softmax()).cost(Cost.crossEntropy()).build(6);
        classifier.setInputScaling(InputScaling.standardize(classes.first()));
        new Trainer(TrainingConfig.defaults().withOptimizer(new Adam(0.01)).withBatchSize(32).withEpochs(30).withSeed(7))
                .fit(classifier, classes.first());
        double[][] held = CCompiler.asFloats(OnnxExportTest.rows(classes.second()));
        FixedPointCExport fc = FixedPointCExport.of(classifier, format);
        double[][] c = compiledMatchesEmulation(fc, "fixed_classifier_" + format.id(), held, true);
        Comparison report = fc.compare(held, targets(classes.second()));
        double[] err = errors(c, classifier.predict(held));
        System.out.printf(Locale.ROOT, "fixed C classifier %-3s: C vs float worst %.3g mean %.3g; report %s%n", format.id(), err[0], err[1],
                report.summary());
        assertTrue(err[0] <= report.worst() + 1e-6 && err[1] <= report.mean() + 1e-6, "C error within the report's: " + Arrays.toString(err));
        assertTrue(report.worst() < (format == Format.Q15 ? 2e-3 : 0.1), report.summary());
        assertTrue(Math.abs(report.fixedAccuracy() - report.floatAccuracy()) <= (format == Format.Q15 ? 0.01 : 0.05), report.summary());

        Dataset.Split values = data.values();
        Network regressor = Network.builder(4).dense(16, Activation.tanh()).dense(8, Activation.sigmoid()).dense(8, Activation.relu())
                .dense(1, Activation.identity()).cost(Cost.quadratic()).build(8);
        regressor.setInputScaling(InputScaling.minMax(values.first()));
        new Trainer(TrainingConfig.defaults().withOptimizer(new Adam(0.01)).withBatchSize(32).withEpochs(30).withSeed(9))
                .fit(regressor, values.first());
        held = CCompiler.asFloats(OnnxExportTest.rows(values.second()));
        FixedPointCExport fr = FixedPointCExport.of(regressor, format);
        c = compiledMatchesEmulation(fr, "fixed_regressor_" + format.id(), held, false);
        report = fr.compare(held, null);
        err = errors(c, regressor.predict(held));
        System.out.printf(Locale.ROOT, "fixed C regressor  %-3s: C vs float worst %.3g mean %.3g; report %s%n", format.id(), err[0], err[1],
                report.summary());
        assertTrue(err[0] <= report.worst() + 1e-7 && err[1] <= report.mean() + 1e-7, "C error within the report's: " + Arrays.toString(err));
        assertTrue(report.worst() < (format == Format.Q15 ? 2e-3 : 0.1), report.summary());
        assertTrue(Double.isNaN(report.floatAccuracy()));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void saturationLeakyReluNoBiasAndNoScaling(Format format) throws Exception {
        assumeTrue(CCompiler.available(), "gcc is not installed");
        Network net = Network.builder(5).dense(12, Activation.leakyRelu(0.1)).layer(new LayerSpec(8, Activation.tanh(), false))
                .dense(6, Activation.sigmoid()).layer(new LayerSpec(3, Activation.identity(), false)).cost(Cost.quadratic()).build(3);
        double[] theta = net.parameterArray();
        for (int i = 0; i < theta.length; i++) {
            theta[i] *= 6;
        }
        net.setParameters(theta);
        double[][] x = CCompiler.asFloats(OnnxExportTest.rawInputs(300, 5, 14));
        for (double[] row : x) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) (row[j] / 4);
            }
        }
        x[0] = new double[] {1e6, -1e6, 3e4, 0, -7e4};
        x[1] = new double[] {Float.MAX_VALUE, -Float.MAX_VALUE, 0, 1, -1};
        FixedPointCExport fx = FixedPointCExport.of(net, format);
        double[][] c = compiledMatchesEmulation(fx, "fixed_saturated_" + format.id(), x, false);
        Comparison report = fx.compare(Arrays.copyOfRange(x, 2, x.length), null);
        double[] err = errors(Arrays.copyOfRange(c, 2, c.length), net.predict(Arrays.copyOfRange(x, 2, x.length)));
        System.out.printf(Locale.ROOT, "fixed C saturated  %-3s: C vs float worst %.3g mean %.3g; report %s%n", format.id(), err[0], err[1],
                report.summary());
        assertTrue(err[0] <= report.worst() + 1e-7, report.summary());
        String source = Files.readString(dir.resolve("fixed_saturated_" + format.id() + ".c"));
        assertTrue(source.contains("static const " + (format == Format.Q15 ? "int16_t" : "int8_t") + " W0[60]"), source);
        assertTrue(!source.contains("<math.h>") && !source.contains("double"), "integer arithmetic, no libm without softmax");
    }

    @Test
    void activationsWithoutAFixedPointFormAreRefusedInOneLine() {
        for (Activation f : List.of(Activation.elu(1), Activation.softplus(), Activation.gelu())) {
            Network net = Network.builder(3).dense(4, f).dense(2, Activation.identity()).cost(Cost.quadratic()).build(1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FixedPointCExport.of(net, Format.Q15));
            assertEquals("fixed-point export supports " + FixedPointCExport.SUPPORTED + "; layer 0 is " + f.id(), e.getMessage());
        }
        Network big = Network.builder(2).dense(1, Activation.identity()).cost(Cost.quadratic()).build(1);
        big.setParameters(new double[] {100, 1, 0});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FixedPointCExport.of(big, Format.Q7));
        assertTrue(e.getMessage().contains("too large for q7"), e.getMessage());
        assertEquals(Format.Q15, Format.parse("Q15"));
    }

    @Test
    void roundingAndTablesInJava() {
        assertEquals(2, FixedPointCExport.shrRound(3, 1));
        assertEquals(-1, FixedPointCExport.shrRound(-3, 1));
        assertEquals(-1, FixedPointCExport.shrRound(-5, 2));
        assertEquals(32768, FixedPointCExport.toQ15(1f));
        assertEquals(-16384, FixedPointCExport.toQ15(-0.5f));
        assertEquals(Integer.MAX_VALUE, FixedPointCExport.toQ15(1e9f));
        assertEquals(0, FixedPointCExport.toQ15(Float.NaN));
        Network id = Network.builder(1).dense(1, Activation.sigmoid()).cost(Cost.quadratic()).build(1);
        id.setParameters(new double[] {1, 0});
        Network th = Network.builder(1).dense(1, Activation.tanh()).cost(Cost.quadratic()).build(1);
        th.setParameters(new double[] {1, 0});
        FixedPointCExport s = FixedPointCExport.of(id, Format.Q15);
        FixedPointCExport t = FixedPointCExport.of(th, Format.Q15);
        double worstS = 0;
        double worstT = 0;
        for (double v = -20; v <= 20; v += 0.001) {
            worstS = Math.max(worstS, Math.abs(s.predict(new double[] {v})[0] - 1 / (1 + Math.exp(-(float) v))));
            worstT = Math.max(worstT, Math.abs(t.predict(new double[] {v})[0] - Math.tanh((float) v)));
        }
        System.out.printf(Locale.ROOT, "fixed sigmoid table: worst error %.3g, tanh table: %.3g%n", worstS, worstT);
        assertTrue(worstS < 1e-4 && worstT < 2.5e-4, worstS + " " + worstT);
    }

    @Test
    void fashionMnistClassifierKeepsItsAccuracyInQ15() throws Exception {
        assumeTrue(Files.isReadable(FASHION.resolve("train-images-idx3-ubyte.gz")) && Files.isReadable(FASHION.resolve("t10k-images-idx3-ubyte.gz")),
                "Fashion-MNIST is not installed in " + FASHION + " (apt-get install dataset-fashion-mnist)");
        Dataset train = Idx.classification(Idx.read(FASHION.resolve("train-images-idx3-ubyte.gz")),
                Idx.read(FASHION.resolve("train-labels-idx1-ubyte.gz")), 10).range(0, 10_000);
        Dataset test = Idx.classification(Idx.read(FASHION.resolve("t10k-images-idx3-ubyte.gz")),
                Idx.read(FASHION.resolve("t10k-labels-idx1-ubyte.gz")), 10).range(0, 2_000);
        Network net = Network.builder(784).dense(64, Activation.relu()).dense(10, Activation.softmax()).cost(Cost.crossEntropy()).build(11);
        double[] center = new double[784];
        double[] scale = new double[784];
        Arrays.fill(scale, 255);
        net.setInputScaling(new InputScaling("custom", center, scale));
        new Trainer(TrainingConfig.defaults().withOptimizer(new Adam(0.001)).withBatchSize(64).withEpochs(2).withSeed(12)).fit(net, train);
        double[][] x = OnnxExportTest.rows(test);
        double[][] y = targets(test);
        Comparison q15 = FixedPointCExport.of(net, Format.Q15).compare(x, y);
        Comparison q7 = FixedPointCExport.of(net, Format.Q7).compare(x, y);
        System.out.printf(Locale.ROOT, "fashion-mnist 784-64-10, 2,000 test images: q15 %s%nfashion-mnist                             q7  %s%n",
                q15.summary(), q7.summary());
        assertTrue(q15.floatAccuracy() > 0.75, "the float model learned something: " + q15.summary());
        assertTrue(Math.abs(q15.fixedAccuracy() - q15.floatAccuracy()) <= 0.01, "Q15 within 1 point: " + q15.summary());
        assertTrue(Math.abs(q7.fixedAccuracy() - q7.floatAccuracy()) <= 0.05, "Q7 within 5 points: " + q7.summary());
        if (CCompiler.available()) {
            double[][] part = Arrays.copyOfRange(x, 0, 500);
            FixedPointCExport fx = FixedPointCExport.of(net, Format.Q15);
            double[][] c = compiledMatchesEmulation(fx, "fashion_q15", part, true);
            double[] err = errors(c, net.predict(part));
            assertTrue(err[0] <= q15.worst() + 1e-6, "C error on 500 images within the report's on 2,000: " + Arrays.toString(err));
        }
    }
}
