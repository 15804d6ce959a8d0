package dev.backprop.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.Activation;
import dev.backprop.Cost;
import dev.backprop.Dataset;
import dev.backprop.InputScaling;
import dev.backprop.LayerSpec;
import dev.backprop.Network;
import dev.backprop.Precision;
import dev.backprop.optim.Adam;
import dev.backprop.train.Trainer;
import dev.backprop.train.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Exported C99 compiled by gcc ({@code -std=c99 -pedantic -Wall -Wextra -Werror}, libm only) gives what
 * {@link Network#predict(double[][])} gives, within 1e-5 (absolute, relative above 1), on held-out inputs: every
 * activation as a hidden and as the output layer in both precisions, saturated activations, layers without
 * bias, a trained classifier and a trained regressor. Skipped where gcc is not installed.
 */
class CExportTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void gcc() {
        assumeTrue(CCompiler.available(), "gcc is not installed");
    }

    static double check(Network net, double[][] raw, String name, String what) throws Exception {
        double[][] x = CCompiler.asFloats(raw);
        float[][] c = CCompiler.export(net, dir, name, x);
        double max = OnnxRuntime.maxDifference(c, net.predict(x), OnnxExportTest.TOLERANCE, what);
        System.out.printf(Locale.ROOT, "C %-38s %3d rows, max |c - backprop| = %.3g%n", what, x.length, max);
        return max;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.backprop.export.OnnxExportTest#activationsAndPrecisions")
    void everyActivationAsHiddenAndOutputLayer(String name, Precision precision) throws Exception {
        Activation f = Activation.parse(name);
        double[][] x = OnnxExportTest.rawInputs(200, 5, 11);
        String id = name + "_" + precision.id();
        if (!(f instanceof Activation.Softmax)) {
            Network hidden = Network.builder(5).dense(16, f).dense(3, Activation.identity()).cost(Cost.quadratic()).precision(precision).build(1);
            hidden.setInputScaling(OnnxExportTest.scaling(5));
            check(hidden, x, "hidden_" + id, "hidden " + name + " " + precision.id());
        }
        int outputs = f instanceof Activation.Sigmoid ? 1 : 3;
        Network output = Network.builder(5).dense(16, Activation.tanh()).dense(outputs, f).cost(OnnxExportTest.costFor(f))
                .precision(precision).build(2);
        output.setInputScaling(OnnxExportTest.scaling(5));
        check(output, x, "output_" + id, "output " + name + " " + precision.id());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.backprop.export.OnnxExportTest#activationsAndPrecisions")
    void saturatedActivations(String name, Precision precision) throws Exception {
        Activation f = Activation.parse(name);
        Network net = Network.builder(5).dense(8, Activation.identity()).dense(4, f).cost(OnnxExportTest.costFor(f)).precision(precision).build(3);
        double[] theta = net.parameterArray();
        for (int i = 0; i < theta.length; i++) {
            theta[i] *= 4;
        }
        net.setParameters(theta);
        net.setInputScaling(OnnxExportTest.scaling(5));
        check(net, OnnxExportTest.rawInputs(200, 5, 12), "saturated_" + name + "_" + precision.id(), "saturated " + name + " " + precision.id());
    }

    @Test
    void layersWithoutBiasNoScalingAndAwkwardProvenance() throws Exception {
        Network net = Network.builder(4).layer(new LayerSpec(6, Activation.elu(0.7), false)).dense(5, Activation.leakyRelu(0.2))
                .layer(new LayerSpec(2, Activation.identity(), false)).cost(Cost.quadratic()).build(4);
        net.putProvenance("data", "a */ b /* c ??/ d \\\nnext line");
        net.setInputNames(List.of("x*/", "y", "z", "w"));
        double[][] x = OnnxExportTest.rawInputs(50, 4, 13);
        for (double[] row : x) {
            for (int j = 0; j < row.length; j++) {
                row[j] /= 20;
            }
        }
        check(net, x, "nobias", "no bias, no scaling");
        String h = Files.readString(dir.resolve("nobias.h"));
        assertTrue(h.contains("#define PREDICT_INPUTS 4") && h.contains("#define PREDICT_OUTPUTS 2")
                && h.contains("void predict(const float *in, float *out);"), h);
    }

    @Test
    void trainedClassifierAndRegressor() throws Exception {
        ExportData.Splits data = ExportData.make();
        Dataset.Split classes = data.classes();
        Network classifier = Network.builder(4).dense(12, Activation.relu()).dense(8, Activation.gelu()).dense(3, Activation.softmax())
                .cost(Cost.crossEntropy()).build(6);
        classifier.setInputScaling(InputScaling.standardize(classes.first()));
        new Trainer(TrainingConfig.defaults().withOptimizer(new Adam(0.01)).withBatchSize(32).withEpochs(30).withSeed(7))
                .fit(classifier, classes.first());
        check(classifier, OnnxExportTest.rows(classes.second()), "classifier", "trained classifier (held out)");

        Dataset.Split values = data.values();
        Network regressor = Network.builder(4).dense(16, Activation.tanh()).dense(8, Activation.softplus()).dense(1, Activation.identity())
                .cost(Cost.quadratic()).precision(Precision.FLOAT64).build(8);
        regressor.setInputScaling(InputScaling.minMax(values.first()));
        new Trainer(TrainingConfig.defaults().withOptimizer(new Adam(0.01)).withBatchSize(32).withEpochs(30).withSeed(9))
                .fit(regressor, values.first());
        check(regressor, OnnxExportTest.rows(values.second()), "regressor", "trained regressor (held out)");
    }

    @Test
    void literalsReadBackAsTheSameFloat() {
        for (double v : new double[] {0.1, -1e-45, 1.4e-45, 3.4028235e38, 1e-5, -0.0, 123456.789, Math.PI}) {
            String s = CExport.literal(v);
            assertTrue(s.endsWith("f"), s);
            assertEquals(Float.floatToIntBits((float) v), Float.floatToIntBits(Float.parseFloat(s.substring(0, s.length() - 1))), s);
        }
    }
}
