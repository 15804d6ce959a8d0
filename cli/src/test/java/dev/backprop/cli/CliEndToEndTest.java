package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.Network;
import dev.backprop.io.Json;
import dev.backprop.util.Rng;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI run as a process on real files: train, evaluate, predict, reload, check, explain, gradient, info, on CSV and IDX. */
class CliEndToEndTest {
    @TempDir
    static Path dir;
    static Path iris;

    @BeforeAll
    static void data() throws Exception {
        try (InputStream in = CliEndToEndTest.class.getResourceAsStream("/dev/backprop/cli/iris.csv")) {
            iris = dir.resolve("iris.csv");
            Files.write(iris, in.readAllBytes());
        }
    }

    /** The kernels are chosen at start-up and the choice is shown, with the reason when the fast ones are not used. */
    @Test
    void kernelSelectionIsShown() throws Exception {
        Cli.Result vector = Cli.run(dir, "--version");
        assertEquals(0, vector.code(), vector.toString());
        assertTrue(vector.out().contains("kernels: vector ("), vector.toString());
        assertEquals("", vector.err(), "the incubator warning is dropped, nothing else is printed: " + vector);
        Cli.Result scalar = Cli.run(dir, false, "--version");
        assertEquals(0, scalar.code(), scalar.toString());
        // without the Vector API the OpenBLAS kernels (blas module) take over where libopenblas is installed (CI installs
        // it and sets BACKPROP_REQUIRE_OPENBLAS), else the scalar ones; either way the line says why vector is not used
        boolean blas = scalar.out().contains("kernels: blas (OpenBLAS GEMM from ");
        boolean noBlas = scalar.out().contains("kernels: scalar (") && scalar.out().contains("blas unavailable: ");
        assertTrue(blas || noBlas && System.getenv("BACKPROP_REQUIRE_OPENBLAS") == null, scalar.toString());
        assertTrue(scalar.out().contains("vector unavailable: the JVM was started without --add-modules jdk.incubator.vector"),
                scalar.toString());
        assertEquals("", scalar.err(), "no native-access warning: " + scalar);
        Cli.Result train = Cli.run(dir, "train", "iris.csv", "--target", "species", "--layers", "4-8:relu-3:softmax", "--epochs", "2",
                "--seed", "3", "-o", "kernels.model.json");
        assertEquals(0, train.code(), train.toString());
        assertTrue(train.err().contains("kernels: vector-float32; chosen at start-up: vector ("), train.toString());
        assertEquals("backprop train iris.csv --target species --layers 4-8:relu-3:softmax --epochs 2 --seed 3 -o kernels.model.json",
                Network.load(dir.resolve("kernels.model.json")).provenance().get("command"), "the command is recorded as typed");
    }

    @Test
    void trainEvaluatePredictAndReloadOnCsv() throws Exception {
        Cli.Result train = Cli.run(dir, "train", "iris.csv", "--target", "species", "--layers", "4-8:tanh-3:softmax", "--lr", "0.02",
                "--batch", "16", "--epochs", "150", "--test-fraction", "0.2", "--seed", "3", "-o", "iris.model.json");
        assertEquals(0, train.code(), train.toString());
        assertTrue(train.out().contains("test:       accuracy"), train.toString());
        for (String f : List.of("iris.model.json", "iris.loss.png", "iris.loss.svg", "iris.confusion.png", "iris.confusion.svg", "iris.report.html")) {
            assertTrue(Files.size(dir.resolve(f)) > 100, f + " was written");
        }
        String report = Files.readString(dir.resolve("iris.report.html"));
        assertTrue(report.contains("<svg") && report.contains("Confusion matrix") && report.contains("History") && !report.contains("http://cdn"),
                "the report is self-contained");
        assertTrue(train.err().contains("epoch 1: loss"), "plain progress lines when not on a terminal: " + train.err());

        Cli.Result eval = Cli.run(dir, "evaluate", "iris.model.json", "iris.csv");
        assertEquals(0, eval.code(), eval.toString());
        double accuracy = Double.parseDouble(eval.out().replaceAll("(?s).*accuracy ([0-9.]+).*", "$1"));
        assertTrue(accuracy > 0.9, eval.toString());
        assertTrue(eval.out().contains("confusion matrix") && eval.out().contains("virginica"), eval.toString());

        Cli.Result predict = Cli.run(dir, "predict", "iris.model.json", "iris.csv", "--probabilities");
        assertEquals(0, predict.code(), predict.toString());
        List<String> lines = predict.out().lines().toList();
        assertEquals("predicted,p(setosa),p(versicolor),p(virginica)", lines.getFirst());
        assertEquals(151, lines.size());
        assertTrue(lines.get(1).startsWith("setosa,"), lines.get(1));

        Cli.Result info = Cli.run(dir, "info", "iris.model.json");
        assertEquals(0, info.code(), info.toString());
        assertTrue(info.out().contains("4-8:tanh-3:softmax") && info.out().contains("setosa, versicolor, virginica")
                && info.out().contains("scaling:    standard"), info.toString());

        Network net = Network.load(dir.resolve("iris.model.json"));
        net.save(dir.resolve("again.json"));
        assertArrayEquals(Files.readAllBytes(dir.resolve("iris.model.json")), Files.readAllBytes(dir.resolve("again.json")),
                "a model saved, reloaded and saved again is byte-identical");
        assertEquals("species", net.provenance().get("targets"));
    }

    @Test
    void secondOrderMethodsTrainFromTheCommandLine() throws Exception {
        Rng rng = new Rng(8);
        StringBuilder csv = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 200; i++) {
            double a = rng.uniform(-2, 2);
            double b = rng.uniform(-2, 2);
            csv.append(String.format(Locale.ROOT, "%.5f,%.5f,%.5f%n", a, b, Math.sin(a) + 0.5 * b * b + 0.05 * rng.nextGaussian()));
        }
        Cli.text(dir.resolve("bowl.csv"), csv.toString());
        Cli.Result lm = Cli.run(dir, "train", "bowl.csv", "--layers", "2-10:tanh-1:identity", "--optimizer", "lm", "--epochs", "60",
                "--validation", "0", "-o", "bowl.model.json");
        assertEquals(0, lm.code(), lm.toString());
        assertTrue(lm.err().contains("float64") && lm.err().contains("LevenbergMarquardt[mu=0.001"), lm.toString());
        assertTrue(lm.err().contains("epoch 1: loss") && !lm.err().contains("lr NaN"), "one progress line per iteration: " + lm.err());
        assertTrue(lm.out().startsWith("lm: "), lm.toString());
        Map<?, ?> m = (Map<?, ?>) Json.parse(Cli.run(dir, "evaluate", "bowl.model.json", "bowl.csv", "--json").out());
        assertTrue(((Json.Num) m.get("r2")).doubleValue() > 0.99, m.toString());
        String report = Files.readString(dir.resolve("bowl.report.html"));
        assertTrue(report.contains("LevenbergMarquardt") && report.contains("iterations (max)") && report.contains("full batch (200)"),
                "the report shows the second-order configuration");
        Network net = Network.load(dir.resolve("bowl.model.json"));
        assertTrue(net.provenance().get("optimizer").startsWith("LevenbergMarquardt"), net.provenance().toString());
        assertEquals("full (200)", net.provenance().get("batch_size"));

        Cli.Result lbfgs = Cli.run(dir, "train", "iris.csv", "--target", "species", "--layers", "4-6:tanh-3:softmax", "--optimizer",
                "lbfgs", "--history", "5", "--precision", "float32", "--quiet", "--no-report", "-o", "iris-lbfgs.model.json");
        assertEquals(0, lbfgs.code(), lbfgs.toString());
        assertTrue(lbfgs.out().contains("training:   accuracy 0.9") || lbfgs.out().contains("training:   accuracy 1.0"), lbfgs.toString());
        assertEquals("float32", Network.load(dir.resolve("iris-lbfgs.model.json")).precision().id());
    }

    @Test
    void regressionOnAHeaderlessCsv() throws Exception {
        Rng rng = new Rng(4);
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            double a = rng.uniform(-2, 2);
            double b = rng.uniform(-2, 2);
            csv.append(String.format(Locale.ROOT, "%.5f,%.5f,%.5f%n", a, b, Math.sin(a) + 0.5 * b * b + 0.05 * rng.nextGaussian()));
        }
        Cli.text(dir.resolve("surface.csv"), csv.toString());
        Cli.Result train = Cli.run(dir, "train", "surface.csv", "--layers", "2-32:tanh-1:identity", "--epochs", "200", "--lr", "0.01",
                "--quiet", "-o", "surface.model.json");
        assertEquals(0, train.code(), train.toString());
        assertEquals("", train.err(), "--quiet prints no progress");
        Cli.Result eval = Cli.run(dir, "evaluate", "surface.model.json", "surface.csv", "--json");
        assertEquals(0, eval.code(), eval.toString());
        Map<?, ?> m = (Map<?, ?>) Json.parse(eval.out());
        assertTrue(((Json.Num) m.get("r2")).doubleValue() > 0.95, eval.toString());
        Cli.text(dir.resolve("flat.csv"), "0.1,0.2,1.5\n0.3,0.4,1.5\n");
        Cli.Result flat = Cli.run(dir, "evaluate", "surface.model.json", "flat.csv", "--json");
        assertEquals(0, flat.code(), flat.toString());
        assertEquals(null, ((Map<?, ?>) Json.parse(flat.out())).get("r2"), "R² of constant targets is written as null, not NaN");
        Cli.Result predict = Cli.run(dir, "predict", "surface.model.json", "surface.csv", "--target", "-1", "-o", "pred.csv");
        assertEquals(0, predict.code(), predict.toString());
        assertEquals(301, Files.readAllLines(dir.resolve("pred.csv")).size());
    }

    @Test
    void integerLabelsAreClassesUnlessToldOtherwise() throws Exception {
        StringBuilder csv = new StringBuilder("a,b,digit\n");
        Rng rng = new Rng(8);
        for (int i = 0; i < 90; i++) {
            int c = i % 3;
            csv.append(String.format(Locale.ROOT, "%.3f,%.3f,%d%n", c + 0.2 * rng.nextGaussian(), -c + 0.2 * rng.nextGaussian(), c * 2));
        }
        Cli.text(dir.resolve("digits.csv"), csv.toString());
        Cli.Result classes = Cli.run(dir, "train", "digits.csv", "--epochs", "40", "--no-report", "-o", "digits.model.json");
        assertEquals(0, classes.code(), classes.toString());
        assertTrue(classes.err().contains("taken as class labels"), classes.toString());
        assertEquals(List.of("0", "2", "4"), Network.load(dir.resolve("digits.model.json")).outputNames());
        Cli.Result numbers = Cli.run(dir, "train", "digits.csv", "--regress", "--epochs", "5", "--no-report", "-o", "digits-r.model.json");
        assertEquals(0, numbers.code(), numbers.toString());
        assertEquals(1, Network.load(dir.resolve("digits-r.model.json")).outputs());
    }

    @Test
    void trainEvaluateAndPredictOnIdxFiles() throws Exception {
        // 4x4 "images": class 0 lights the left half, class 1 the right half, class 2 the top half, with noise
        Rng rng = new Rng(9);
        int n = 240;
        byte[] images = new byte[n * 16];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            labels[i] = (byte) c;
            for (int p = 0; p < 16; p++) {
                int row = p / 4;
                int col = p % 4;
                boolean lit = c == 0 ? col < 2 : c == 1 ? col >= 2 : row < 2;
                images[i * 16 + p] = (byte) Math.min(255, (lit ? 180 : 20) + rng.nextInt(60));
            }
        }
        Cli.idx(dir.resolve("shapes-images-idx3-ubyte.gz"), new int[] {n, 4, 4}, images, true);
        Cli.idx(dir.resolve("shapes-labels-idx1-ubyte"), new int[] {n}, labels, false);
        Cli.Result train = Cli.run(dir, "train", "shapes-images-idx3-ubyte.gz", "--labels", "shapes-labels-idx1-ubyte", "--layers",
                "16-8:relu-3:softmax", "--epochs", "30", "-o", "shapes.model.json");
        assertEquals(0, train.code(), train.toString());
        Cli.Result eval = Cli.run(dir, "evaluate", "shapes.model.json", "shapes-images-idx3-ubyte.gz", "--labels", "shapes-labels-idx1-ubyte");
        assertEquals(0, eval.code(), eval.toString());
        assertTrue(eval.out().contains("accuracy 1.0000"), eval.toString());
        Network net = Network.load(dir.resolve("shapes.model.json"));
        assertEquals("custom", net.inputScaling().method(), "IDX bytes are divided by 255 by default");
        Cli.Result predict = Cli.run(dir, "predict", "shapes.model.json", "shapes-images-idx3-ubyte.gz");
        assertEquals(0, predict.code(), predict.toString());
        assertEquals("predicted", predict.out().lines().findFirst().orElseThrow());
        assertEquals("0", predict.out().lines().skip(1).findFirst().orElseThrow());
    }

    @Test
    void checkExplainAndGradient() throws Exception {
        Cli.Result check = Cli.run(dir, "check", "iris.csv", "--layers", "4-5:tanh-3:softmax", "--l2", "0.01", "--precision", "float64");
        assertEquals(0, check.code(), check.toString());
        assertTrue(check.out().contains("PASSED"), check.toString());

        Cli.Result explain = Cli.run(dir, "explain");
        assertEquals(0, explain.code(), explain.toString());
        assertTrue(explain.out().contains("dJ/dW_1") && explain.out().contains("finite difference") && explain.out().contains("W_1 <-"),
                explain.toString());
        Cli.Result md = Cli.run(dir, "explain", "--layers", "2-2:sigmoid-1:sigmoid", "--x", "1,0;0,1", "--y", "1;0", "--l2", "0.1", "--markdown");
        assertEquals(0, md.code(), md.toString());
        assertTrue(md.out().contains("$$\\delta^{(2)}") && md.out().contains("\\lambda W^{(1)}") && md.out().contains("## Example 2"), md.toString());

        Cli.Result onData = Cli.run(dir, "explain", "--layers", "4-3:tanh-3:softmax", "--data", "iris.csv", "--rows", "2");
        assertEquals(0, onData.code(), onData.toString());
        assertTrue(onData.out().contains("Example 2") && onData.out().contains("delta_2 = dC/dz_2 = a_L·sum(y) - y"), onData.toString());

        Cli.Result train = Cli.run(dir, "train", "iris.csv", "--layers", "4-3:tanh-3:softmax", "--epochs", "5", "--quiet", "--no-report",
                "-o", "small.model.json");
        assertEquals(0, train.code(), train.toString());
        Cli.Result grad = Cli.run(dir, "gradient", "small.model.json", "iris.csv", "--l2", "0.5", "--rows", "10");
        assertEquals(0, grad.code(), grad.toString());
        Map<?, ?> g = (Map<?, ?>) Json.parse(grad.out());
        assertEquals(10, ((Json.Num) g.get("examples")).intValue());
        List<?> layers = (List<?>) g.get("layers");
        assertEquals(2, layers.size());
        List<?> dW = (List<?>) ((Map<?, ?>) layers.get(0)).get("dJ_dW");
        assertEquals(3, dW.size());
        assertEquals(4, ((List<?>) dW.getFirst()).size());
        double j = ((Json.Num) g.get("objective")).doubleValue();
        double c = ((Json.Num) g.get("mean_cost")).doubleValue();
        double p = ((Json.Num) g.get("penalty")).doubleValue();
        assertEquals(j, c + p, 1e-12);
        assertTrue(p > 0);
    }

    @Test
    void configFilesAndHelp() throws Exception {
        Cli.text(dir.resolve("run.json"), "{\"layers\": \"4-6:relu-3:softmax\", \"epochs\": 3, \"optimizer\": {\"name\": \"sgd\", \"lr\": 0.1},"
                + " \"target\": \"species\", \"quiet\": true, \"no_report\": true}");
        Cli.Result r = Cli.run(dir, "train", "iris.csv", "--config", "run.json", "--epochs", "4", "-o", "cfg.model.json");
        assertEquals(0, r.code(), r.toString());
        Network net = Network.load(dir.resolve("cfg.model.json"));
        assertEquals("4", net.provenance().get("epochs"), "options after --config override it");
        assertTrue(net.provenance().get("optimizer").startsWith("Sgd[learningRate=0.1"));
        for (String cmd : Main.commands()) {
            Cli.Result help = Cli.run(dir, cmd, "--help");
            assertEquals(0, help.code(), help.toString());
            assertTrue(help.out().startsWith("Usage: backprop " + cmd), help.toString());
        }
    }

    @Test
    void divergenceIsReportedWithTheDoctorsMessage() throws Exception {
        Cli.Result r = Cli.run(dir, "train", "iris.csv", "--layers", "4-8:tanh-3:softmax", "--optimizer", "sgd", "--lr", "1e6", "--epochs",
                "20", "--patience", "0", "--validation", "0", "--quiet", "-o", "wild.model.json");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("Likely cause"), r.toString());
        assertFalse(r.err().contains("Exception"), r.toString());
    }
}
