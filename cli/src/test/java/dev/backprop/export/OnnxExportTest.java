package dev.backprop.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxModelMetadata;
import dev.backprop.Activation;
import dev.backprop.Backprop;
import dev.backprop.Cost;
import dev.backprop.Dataset;
import dev.backprop.InputScaling;
import dev.backprop.LayerSpec;
import dev.backprop.Network;
import dev.backprop.Precision;
import dev.backprop.optim.Adam;
import dev.backprop.train.Trainer;
import dev.backprop.train.TrainingConfig;
import dev.backprop.util.Rng;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exported ONNX models run in ONNX Runtime give what {@link Network#predict(double[][])} gives, within 1e-5
 * (absolute, relative above 1), on inputs the networks were not trained on: every activation as a hidden layer
 * and as the output layer, both precisions, with input scaling, a layer without bias, a trained classifier and
 * a trained regressor. The model's metadata (producer, version, opset, provenance, names) is read back.
 */
class OnnxExportTest {
    static final double TOLERANCE = 1e-5;

    /** Raw inputs with a center and scale far from (0, 1), so that a missing or wrong scaling cannot pass. */
    static double[][] rawInputs(int n, int d, long seed) {
        Rng rng = new Rng(seed);
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = 10 * j - 7 + (0.5 + j) * 2.5 * rng.nextGaussian();
            }
        }
        return x;
    }

    static InputScaling scaling(int d) {
        double[] center = new double[d];
        double[] scale = new double[d];
        for (int j = 0; j < d; j++) {
            center[j] = 10 * j - 7;
            scale[j] = (0.5 + j) * 2.5;
        }
        return new InputScaling("custom", center, scale);
    }

    static Cost costFor(Activation output) {
        return switch (output) {
            case Activation.Softmax s -> Cost.crossEntropy();
            case Activation.Sigmoid s -> Cost.binaryCrossEntropy();
            default -> Cost.quadratic();
        };
    }

    static double check(Network net, double[][] x, String what) throws Exception {
        byte[] model = OnnxExport.toBytes(net);
        OnnxRuntime.Run run = OnnxRuntime.run(model, x);
        double max = OnnxRuntime.maxDifference(run.output(), net.predict(x), TOLERANCE, what);
        System.out.printf(Locale.ROOT, "%-40s %3d rows, max |ort - backprop| = %.3g%n", what, x.length, max);
        return max;
    }

    static Stream<Arguments> activationsAndPrecisions() {
        List<Arguments> a = new ArrayList<>();
        for (Activation f : Activation.all()) {
            for (Precision p : Precision.values()) {
                a.add(Arguments.of(f.id(), p));
            }
        }
        return a.stream();
    }

    /** 5 → 16:f → 3:identity, and 5 → 16:tanh → 3:f (softmax as output only), random weights, with input scaling. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("activationsAndPrecisions")
    void everyActivationAsHiddenAndOutputLayer(String name, Precision precision) throws Exception {
        Activation f = Activation.parse(name);
        double[][] x = rawInputs(200, 5, 11);
        if (!(f instanceof Activation.Softmax)) {
            Network hidden = Network.builder(5).dense(16, f).dense(3, Activation.identity()).cost(Cost.quadratic())
                    .precision(precision).build(1);
            hidden.setInputScaling(scaling(5));
            check(hidden, x, "hidden " + name + " " + precision.id());
        }
        int outputs = f instanceof Activation.Sigmoid ? 1 : 3;
        Network output = Network.builder(5).dense(16, Activation.tanh()).dense(outputs, f).cost(costFor(f)).precision(precision).build(2);
        output.setInputScaling(scaling(5));
        check(output, x, "output " + name + " " + precision.id());
    }

    /** Larger pre-activations (weights scaled up) reach the saturated and far-negative parts of every activation. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("activationsAndPrecisions")
    void saturatedActivations(String name, Precision precision) throws Exception {
        Activation f = Activation.parse(name);
        if (f instanceof Activation.Softmax) {
            return;
        }
        Network net = Network.builder(5).dense(8, Activation.identity()).dense(4, f).cost(costFor(f)).precision(precision).build(3);
        double[] theta = net.parameterArray();
        for (int i = 0; i < theta.length; i++) {
            theta[i] *= 4;
        }
        net.setParameters(theta);
        net.setInputScaling(scaling(5));
        check(net, rawInputs(200, 5, 12), "saturated " + name + " " + precision.id());
    }

    @Test
    void layersWithoutBiasAndNoScaling() throws Exception {
        Network net = Network.builder(4).layer(new LayerSpec(6, Activation.elu(0.7), false)).dense(5, Activation.leakyRelu(0.2))
                .layer(new LayerSpec(2, Activation.identity(), false)).cost(Cost.quadratic()).build(4);
        double[][] x = rawInputs(50, 4, 13);
        for (double[] row : x) {
            for (int j = 0; j < row.length; j++) {
                row[j] /= 20;
            }
        }
        check(net, x, "no bias, no scaling");
    }

    /** Three Gaussian blobs in 4 dimensions, raw (unscaled) features; trained with Adam, checked on a held-out quarter. */
    @Test
    void trainedClassifier() throws Exception {
        Rng rng = new Rng(21);
        int n = 600;
        double[][] x = new double[n][4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            for (int j = 0; j < 4; j++) {
                x[i][j] = 50 + 20 * j + 8 * (labels[i] == j % 3 ? 1 : 0) + 5 * rng.nextGaussian();
            }
        }
        Dataset.Split split = Dataset.ofLabels(x, labels, 3).split(0.75, 5);
        Network net = Network.builder(4).dense(12, Activation.relu()).dense(8, Activation.gelu()).dense(3, Activation.softmax())
                .cost(Cost.crossEntropy()).build(6);
        net.setInputScaling(InputScaling.standardize(split.first()));
        net.setInputNames(List.of("a", "b", "c", "d"));
        net.setOutputNames(List.of("red", "green", "blue"));
        new Trainer(TrainingConfig.defaults().withOptimizer(new Adam(0.01)).withBatchSize(32).withEpochs(30).withSeed(7)).fit(net, split.first());
        double[][] test = rows(split.second());
        check(net, test, "trained classifier (held out)");
        float[][] ort = OnnxRuntime.run(OnnxExport.toBytes(net), test).output();
        double[][] ours = net.predict(test);
        int agree = 0;
        for (int i = 0; i < test.length; i++) {
            agree += argmax(ort[i]) == argmax(ours[i]) ? 1 : 0;
        }
        assertEquals(test.length, agree, "the same predicted class for every held-out example");
    }

    /** y = (sin x₀ + x₁·x₂/100, x₃²/1000), trained with Adam in float64, checked on a held-out quarter. */
    @Test
    void trainedRegressor() throws Exception {
        Rng rng = new Rng(31);
        int n = 600;
        double[][] x = new double[n][4];
        double[][] y = new double[n][2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 4; j++) {
                x[i][j] = 3 * j + 4 * rng.nextGaussian();
            }
            y[i][0] = Math.sin(x[i][0]) + x[i][1] * x[i][2] / 100;
            y[i][1] = x[i][3] * x[i][3] / 1000;
        }
        Dataset.Split split = Dataset.of(x, y).split(0.75, 5);
        Network net = Network.builder(4).dense(16, Activation.tanh()).dense(8, Activation.softplus()).dense(2, Activation.identity())
                .cost(Cost.quadratic()).precision(Precision.FLOAT64).build(8);
        net.setInputScaling(InputScaling.minMax(split.first()));
        new Trainer(TrainingConfig.defaults().withOptimizer(new Adam(0.01)).withBatchSize(32).withEpochs(30).withSeed(9)).fit(net, split.first());
        check(net, rows(split.second()), "trained regressor (held out)");
    }

    @Test
    void metadataIsReadableThroughOnnxRuntime(@TempDir Path dir) throws Exception {
        Network net = Network.builder(3).dense(4, Activation.sigmoid()).dense(2, Activation.softmax()).cost(Cost.crossEntropy()).build(5);
        net.setInputScaling(scaling(3));
        net.setInputNames(List.of("length", "width, cm", "\"depth\""));
        net.setOutputNames(List.of("no", "yes"));
        net.putProvenance("data", "iris.csv (150 rows)");
        net.putProvenance("seed", "5");
        Path file = dir.resolve("m.onnx");
        OnnxExport.write(net, file);
        byte[] bytes = Files.readAllBytes(file);
        assertArrayEquals(OnnxExport.toBytes(net), bytes);

        OnnxRuntime.Run run = OnnxRuntime.run(bytes, rawInputs(3, 3, 1));
        OnnxModelMetadata m = run.metadata();
        assertEquals("backprop", m.getProducerName());
        assertEquals("dev.backprop", m.getDomain());
        assertEquals("backprop", m.getGraphName());
        assertEquals(1, m.getVersion());
        assertTrue(m.getDescription().contains("3-4:sigmoid-2:softmax"), m.getDescription());
        Map<String, String> custom = m.getCustomMetadata();
        assertEquals("iris.csv (150 rows)", custom.get("provenance.data"));
        assertEquals("5", custom.get("provenance.seed"));
        assertEquals("[\"length\",\"width, cm\",\"\\\"depth\\\"\"]", custom.get("input_names"));
        assertEquals("[\"no\",\"yes\"]", custom.get("output_names"));
        assertEquals("3-4:sigmoid-2:softmax", custom.get("layers"));
        assertEquals("cross_entropy", custom.get("cost"));
        assertEquals("custom", custom.get("input_scaling"));
        assertEquals(OnnxExport.metadata(net), custom);
        assertEquals("input", run.inputName());
        assertArrayEquals(new long[] {-1, 3}, run.inputShape(), "a dynamic batch dimension");
        assertEquals("output", run.outputName());
        assertArrayEquals(new long[] {-1, 2}, run.outputShape());

        // what the Java API does not show, read from the protobuf itself: IR version, opset, producer version
        Map<Integer, List<Object>> model = OnnxRuntime.fields(bytes);
        assertEquals(List.of((long) OnnxExport.IR_VERSION), model.get(1));
        assertEquals(Backprop.VERSION, new String((byte[]) model.get(3).getFirst(), StandardCharsets.UTF_8));
        assertEquals(1, model.get(8).size(), "one opset import");
        Map<Integer, List<Object>> opset = OnnxRuntime.fields((byte[]) model.get(8).getFirst());
        assertEquals("", new String((byte[]) opset.get(1).getFirst(), StandardCharsets.UTF_8), "the default ai.onnx domain");
        assertEquals(List.of((long) OnnxExport.OPSET), opset.get(2));
    }

    @Test
    void protobufEncodingMatchesTheSpecificationExamples() {
        // protobuf.dev encoding guide: field 1 = 150 is 08 96 01; field 2 = "testing" is 12 07 74 65 73 74 69 6e 67
        assertArrayEquals(new byte[] {0x08, (byte) 0x96, 0x01}, new ProtoWriter().int64(1, 150).toByteArray());
        assertArrayEquals(new byte[] {0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g'}, new ProtoWriter().string(2, "testing").toByteArray());
        // a negative int64 takes ten bytes; a float is fixed32 little-endian (1.0f = 0x3f800000)
        assertEquals(11, new ProtoWriter().int64(1, -1).toByteArray().length);
        assertArrayEquals(new byte[] {0x15, 0, 0, (byte) 0x80, 0x3f}, new ProtoWriter().float32(2, 1.0f).toByteArray());
        // packed repeated: field 4 = [3, 270, 86942] is 22 06 03 8E 02 9E A7 05
        assertArrayEquals(new byte[] {0x22, 0x06, 0x03, (byte) 0x8E, 0x02, (byte) 0x9E, (byte) 0xA7, 0x05},
                new ProtoWriter().packedInt64(4, 3, 270, 86942).toByteArray());
    }

    static double[][] rows(Dataset d) {
        double[][] x = new double[d.size()][];
        for (int i = 0; i < d.size(); i++) {
            x[i] = d.featureRow(i);
        }
        return x;
    }

    static int argmax(float[] a) {
        int best = 0;
        for (int k = 1; k < a.length; k++) {
            if (a[k] > a[best]) {
                best = k;
            }
        }
        return best;
    }

    static int argmax(double[] a) {
        int best = 0;
        for (int k = 1; k < a.length; k++) {
            if (a[k] > a[best]) {
                best = k;
            }
        }
        return best;
    }
}
