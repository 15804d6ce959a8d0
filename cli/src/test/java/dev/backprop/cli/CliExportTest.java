package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.Network;
import dev.backprop.export.CCompiler;
import dev.backprop.export.OnnxRuntime;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backprop export} run as a process: models trained by {@code backprop train} on CSV files, exported to ONNX
 * (run in ONNX Runtime) and to C (compiled by gcc) and run on held-out rows, compared with the saved model's own
 * predictions; and the mistakes a user can make, each refused with exit code 2 and one line.
 */
class CliExportTest {
    @TempDir
    static Path dir;
    static double[][] heldOut;

    /** Iris split into train.csv (three rows in four) and the held-out rows (features only). */
    @BeforeAll
    static void data() throws Exception {
        List<String> lines;
        try (InputStream in = CliExportTest.class.getResourceAsStream("/dev/backprop/cli/iris.csv")) {
            lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
        StringBuilder train = new StringBuilder(lines.getFirst()).append('\n');
        List<double[]> held = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (i % 4 == 0) {
                String[] f = lines.get(i).split(",");
                held.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3])});
            } else {
                train.append(lines.get(i)).append('\n');
            }
        }
        Cli.text(dir.resolve("train.csv"), train.toString());
        heldOut = held.toArray(double[][]::new);
        Cli.Result r = Cli.run(dir, "train", "train.csv", "--target", "species", "--layers", "4-8:gelu-6:elu-3:softmax", "--epochs", "40",
                "--seed", "3", "--quiet", "--no-report", "-o", "iris.model.json");
        assertEquals(0, r.code(), r.toString());
    }

    @Test
    void exportsATrainedClassifierThatOnnxRuntimeRuns() throws Exception {
        Cli.Result r = Cli.run(dir, "export", "iris.model.json", "--format", "onnx");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().startsWith("wrote " + Path.of("iris.onnx")) && r.err().contains("opset 17")
                && r.err().contains("input \"input\" float [N, 4], output \"output\" float [N, 3]"), r.toString());
        Network net = Network.load(dir.resolve("iris.model.json"));
        OnnxRuntime.Run run = OnnxRuntime.run(Files.readAllBytes(dir.resolve("iris.onnx")), heldOut);
        double max = OnnxRuntime.maxDifference(run.output(), net.predict(heldOut), 1e-5, "iris classifier exported by the CLI");
        System.out.printf(Locale.ROOT, "%-40s %3d rows, max |ort - backprop| = %.3g%n", "cli iris classifier (held out)", heldOut.length, max);
        var custom = run.metadata().getCustomMetadata();
        assertEquals("standard", custom.get("input_scaling"));
        assertEquals("[\"sepal_length_cm\",\"sepal_width_cm\",\"petal_length_cm\",\"petal_width_cm\"]", custom.get("input_names"));
        assertEquals("[\"setosa\",\"versicolor\",\"virginica\"]", custom.get("output_names"));
        assertTrue(custom.get("provenance.command").contains("train.csv --target species"), custom.toString());
        assertEquals("species", custom.get("provenance.targets"));
        assertEquals("backprop", run.metadata().getProducerName());

        Cli.Result quiet = Cli.run(dir, "export", "iris.model.json", "--format", "ONNX", "-o", "copy.onnx", "--quiet");
        assertEquals(0, quiet.code(), quiet.toString());
        assertEquals("", quiet.out() + quiet.err());
        assertArrayEquals(Files.readAllBytes(dir.resolve("iris.onnx")), Files.readAllBytes(dir.resolve("copy.onnx")), "the export is deterministic");
    }

    @Test
    void exportsATrainedRegressor() throws Exception {
        StringBuilder csv = new StringBuilder("x1,x2,x3,y\n");
        List<double[]> held = new ArrayList<>();
        dev.backprop.util.Rng rng = new dev.backprop.util.Rng(4);
        for (int i = 0; i < 300; i++) {
            double a = 100 + 30 * rng.nextGaussian();
            double b = -2 + rng.nextGaussian();
            double c = 0.01 * rng.nextGaussian();
            if (i % 5 == 0) {
                held.add(new double[] {a, b, c});
            } else {
                csv.append(String.format(Locale.ROOT, "%.6f,%.6f,%.6f,%.6f%n", a, b, c, Math.tanh(a / 50 - 2) + b * b + 100 * c));
            }
        }
        Cli.text(dir.resolve("reg.csv"), csv.toString());
        Cli.Result t = Cli.run(dir, "train", "reg.csv", "--target", "y", "--layers", "3-10:softplus-6:leaky_relu(0.1)-1:identity",
                "--epochs", "30", "--seed", "1", "--quiet", "--no-report", "-o", "reg.model.json");
        assertEquals(0, t.code(), t.toString());
        Cli.Result r = Cli.run(dir, "export", "reg.model.json", "--format", "onnx", "-o", "reg.onnx");
        assertEquals(0, r.code(), r.toString());
        double[][] x = held.toArray(double[][]::new);
        Network net = Network.load(dir.resolve("reg.model.json"));
        OnnxRuntime.Run run = OnnxRuntime.run(Files.readAllBytes(dir.resolve("reg.onnx")), x);
        double max = OnnxRuntime.maxDifference(run.output(), net.predict(x), 1e-5, "regressor exported by the CLI");
        System.out.printf(Locale.ROOT, "%-40s %3d rows, max |ort - backprop| = %.3g%n", "cli regressor (held out)", x.length, max);
        assertEquals("[\"y\"]", run.metadata().getCustomMetadata().get("output_names"));
    }

    @Test
    void exportsATrainedClassifierAsCThatGccCompiles() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(CCompiler.available(), "gcc is not installed");
        Cli.Result r = Cli.run(dir, "export", "iris.model.json", "--format", "c");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().startsWith("wrote " + Path.of("iris.h") + " and " + Path.of("iris.c") + " (C99"), r.toString());
        String h = Files.readString(dir.resolve("iris.h"));
        assertTrue(h.contains("inputs: sepal_length_cm, sepal_width_cm, petal_length_cm, petal_width_cm") && h.contains("outputs: setosa,"
                + " versicolor, virginica") && h.contains("targets: species"), h);
        double[][] x = CCompiler.asFloats(heldOut);
        float[][] c = CCompiler.run(dir, dir.resolve("iris.c"), x);
        double max = OnnxRuntime.maxDifference(c, Network.load(dir.resolve("iris.model.json")).predict(x), 1e-5, "iris classifier as C");
        System.out.printf(Locale.ROOT, "%-40s %3d rows, max |c - backprop| = %.3g%n", "cli iris classifier as C (held out)", x.length, max);

        Cli.Result named = Cli.run(dir, "export", "iris.model.json", "--format", "c", "-o", "flowers.c", "--quiet");
        assertEquals(0, named.code(), named.toString());
        assertTrue(Files.readString(dir.resolve("flowers.c")).contains("#include \"flowers.h\""));
        assertTrue(Files.readString(dir.resolve("flowers.h")).contains("#ifndef BACKPROP_FLOWERS_H"));
    }

    /** Issue 6: --fixed q15|q7 writes fixed-point C and, with --data, a report whose errors bound the compiled code's. */
    @Test
    void exportsAFixedPointClassifierWithAReport() throws Exception {
        Cli.Result t = Cli.run(dir, "train", "train.csv", "--target", "species", "--layers", "4-8:tanh-6:relu-3:softmax", "--epochs", "40",
                "--seed", "3", "--quiet", "--no-report", "-o", "fixed.model.json");
        assertEquals(0, t.code(), t.toString());
        Network net = Network.load(dir.resolve("fixed.model.json"));
        for (String q : new String[] {"q15", "q7"}) {
            Cli.Result r = Cli.run(dir, "export", "fixed.model.json", "--format", "c", "--fixed", q, "--data", "train.csv", "-o", "fixed_" + q + ".c");
            assertEquals(0, r.code(), r.toString());
            assertTrue(r.err().startsWith("wrote " + Path.of("fixed_" + q + ".h") + " and " + Path.of("fixed_" + q + ".c") + " (C99, " + q
                    + " weights") && r.err().contains(q + " on train.csv: 113 rows: worst |fixed - float| ") && r.err().contains("accuracy float ")
                    && r.err().contains("fixed_" + q + ".report.txt"), r.toString());
            String report = Files.readString(dir.resolve("fixed_" + q + ".report.txt"));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("worst \\|fixed - float\\| output error: (\\S+)").matcher(report);
            assertTrue(m.find() && report.contains("accuracy: float "), report);
            double worst = Double.parseDouble(m.group(1));
            String h = Files.readString(dir.resolve("fixed_" + q + ".h"));
            assertTrue(h.contains("Fixed-point format") && h.contains(q.equals("q15") ? "int16_t" : "int8_t"), h);
            if (CCompiler.available()) {
                double[][] x = CCompiler.asFloats(heldOut);
                float[][] c = CCompiler.run(dir, dir.resolve("fixed_" + q + ".c"), x);
                double[][] ref = net.predict(x);
                double max = 0;
                for (int i = 0; i < x.length; i++) {
                    for (int k = 0; k < ref[i].length; k++) {
                        max = Math.max(max, Math.abs(c[i][k] - ref[i][k]));
                    }
                }
                System.out.printf(Locale.ROOT, "%-40s %3d rows, max |c - backprop| = %.3g (report on train.csv: %.3g)%n",
                        "cli iris classifier as " + q + " C (held out)", x.length, max, worst);
                assertTrue(max < (q.equals("q15") ? 2e-3 : 0.1), "error " + max);
            }
        }
    }

    @Test
    void helpNamesTheFormats() throws Exception {
        Cli.Result r = Cli.run(dir, "export", "--help");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("--format=FORMAT") && r.out().contains("onnx or c") && r.out().contains("void predict(const float *in, float *out)"), r.toString());
    }

    /** Runs a command that must fail as a user error with {@code expected} in its one-line message, writing nothing. */
    private static void refused(String expected, String... args) throws Exception {
        List<String> before;
        try (var s = Files.list(dir)) {
            before = s.map(Path::toString).sorted().toList();
        }
        Cli.Result r = Cli.run(dir, args);
        assertEquals(2, r.code(), "exit code for " + String.join(" ", args) + "\n" + r);
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in:\n" + r);
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertTrue(lines.size() <= 2, "one line (plus a 'Try --help' hint for option errors):\n" + r);
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace:\n" + r);
        List<String> after;
        try (var s = Files.list(dir)) {
            after = s.map(Path::toString).sorted().toList();
        }
        assertEquals(before, after, "no file written or removed");
    }

    @Test
    void mistakesAreOneLineWithExitCode2() throws Exception {
        refused("missing.model.json: no such model file", "export", "missing.model.json", "--format", "onnx");
        refused("unknown --format 'tflite'; the formats are: onnx, c", "export", "iris.model.json", "--format", "tflite");
        refused("Missing required option: '--format=FORMAT'", "export", "iris.model.json");
        refused("no/such/folder", "export", "iris.model.json", "--format", "onnx", "-o", "no/such/folder/x.onnx");
        refused("is the model itself", "export", "iris.model.json", "--format", "onnx", "-o", "iris.model.json");
        Files.copy(dir.resolve("iris.model.json"), dir.resolve("m.h"));
        refused("m.h: is the model itself", "export", "m.h", "--format", "c", "-o", "m.c");
        Files.delete(dir.resolve("m.h"));
        refused("no/such/folder", "export", "iris.model.json", "--format", "c", "-o", "no/such/folder/x.c");
        Cli.text(dir.resolve("broken.model.json"), "{\"format\": \"backprop-model\", \"version\": 1, \"inputs\": ");
        refused("broken.model.json", "export", "broken.model.json", "--format", "onnx");
        Files.delete(dir.resolve("broken.model.json"));
        refused("train.csv", "export", "train.csv", "--format", "onnx", "-o", "t.onnx");
        refused("--fixed is for --format c (fixed-point C), not --format onnx", "export", "iris.model.json", "--format", "onnx", "--fixed", "q15");
        refused("unknown --fixed 'q8'; the formats are: q15, q7", "export", "iris.model.json", "--format", "c", "--fixed", "q8");
        refused("--data is for --fixed", "export", "iris.model.json", "--format", "c", "--data", "train.csv");
        refused("iris.model.json: fixed-point export supports identity, relu, leaky_relu, sigmoid, tanh, softmax (output layer); layer 0 is gelu",
                "export", "iris.model.json", "--format", "c", "--fixed", "q15", "--data", "train.csv");
    }
}
