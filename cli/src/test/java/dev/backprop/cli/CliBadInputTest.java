package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad input gets one clear line on stderr and exit code 2, never a stack trace, and leaves the files
 * that were there untouched.
 */
class CliBadInputTest {
    @TempDir
    static Path dir;
    static byte[] existingModel;
    static byte[] existingCsv;

    @BeforeAll
    static void setUp() throws Exception {
        try (InputStream in = CliBadInputTest.class.getResourceAsStream("/dev/backprop/cli/iris.csv")) {
            Files.write(dir.resolve("iris.csv"), in.readAllBytes());
        }
        Cli.Result r = Cli.run(dir, "train", "iris.csv", "--layers", "4-4:tanh-3:softmax", "--epochs", "3", "--quiet", "--no-report",
                "-o", "good.model.json");
        assertEquals(0, r.code(), r.toString());
        Files.copy(dir.resolve("good.model.json"), dir.resolve("existing.model.json"));
        existingModel = Files.readAllBytes(dir.resolve("existing.model.json"));
        Cli.text(dir.resolve("existing.csv"), "keep me\n");
        existingCsv = Files.readAllBytes(dir.resolve("existing.csv"));
    }

    /** Runs a command that must fail as a user error with {@code expected} in its one-line message. */
    private static void refused(String expected, String... args) throws Exception {
        Cli.Result r = Cli.run(dir, args);
        assertEquals(2, r.code(), "exit code for " + String.join(" ", args) + "\n" + r);
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in:\n" + r);
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertTrue(lines.size() <= 2, "one line (plus a 'Try --help' hint for option errors):\n" + r);
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace:\n" + r);
        assertArrayEquals(existingModel, Files.readAllBytes(dir.resolve("existing.model.json")), "existing model untouched");
        assertArrayEquals(existingCsv, Files.readAllBytes(dir.resolve("existing.csv")), "existing CSV untouched");
    }

    private static String[] train(String data, String... more) {
        List<String> a = new ArrayList<>(List.of("train", data, "--quiet", "--no-report", "-o", "existing.model.json", "--epochs", "2"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void missingFiles() throws Exception {
        refused("nope.csv: no such data file", train("nope.csv"));
        refused("nope.json: no such model file", "evaluate", "nope.json", "iris.csv");
        refused("good.model.json is JSON, not CSV or IDX data (a model file? give it to evaluate, predict or info)", train("good.model.json"));
        refused("missing.csv: no such data file", "predict", "good.model.json", "missing.csv", "-o", "existing.csv");
    }

    @Test
    void malformedCsv() throws Exception {
        Cli.text(dir.resolve("bad-number.csv"), "a,b,label\n1,2,x\n3,4.5.6,y\n");
        refused("bad-number.csv, line 3, column 2 (b): '4.5.6' is not a number", train("bad-number.csv"));
        Cli.text(dir.resolve("ragged.csv"), "a,b,label\n1,2,x\n3,4\n5,6,y\n");
        refused("ragged.csv, line 3: has 2 fields but the header has 3", train("ragged.csv"));
        Cli.text(dir.resolve("empty.csv"), "");
        refused("empty.csv: is empty", train("empty.csv"));
        Cli.text(dir.resolve("header-only.csv"), "a,b,label\n");
        refused("header-only.csv: has a header but no data rows", train("header-only.csv"));
        Cli.text(dir.resolve("nan.csv"), "a,b,label\n1,2,x\nNaN,4,y\n");
        refused("nan.csv, line 3, column 1 (a): 'NaN' is not a finite number", train("nan.csv"));
        Cli.text(dir.resolve("inf.csv"), "a,b,label\n1,2,x\n3,-Infinity,y\n");
        refused("inf.csv, line 3, column 2 (b): '-Infinity' is not a finite number", train("inf.csv"));
        Cli.text(dir.resolve("missing-value.csv"), "a,b,label\n1,,x\n3,4,y\n");
        refused("missing-value.csv, line 2, column 2 (b): the value is missing", train("missing-value.csv"));
        Files.write(dir.resolve("binary.csv"), new byte[] {(byte) 0xff, (byte) 0xfe, 0x41, 0x0a});
        refused("is not UTF-8 text", train("binary.csv"));
        refused("has no column named 'kind'; its columns are: sepal_length_cm", train("iris.csv", "--target", "kind"));
        Cli.text(dir.resolve("twice.csv"), "x,x,label\n1,2,a\n3,4,b\n");
        refused("twice.csv, line 1, column 2: the header names two columns 'x' (columns 1 and 2); rename one", train("twice.csv"));
        Cli.text(dir.resolve("fullwidth.csv"), "a,b,label\n1,2,x\n\uff11,4,y\n");
        refused("fullwidth.csv, line 3, column 1 (a): '\uff11' is not a number", train("fullwidth.csv"));
        Files.write(dir.resolve("latin1.csv"), "a,b,label\n1,2,x\n3,4,caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        refused("latin1.csv, line 3: is not UTF-8 text", train("latin1.csv"));
        refused("has no column named '99999999999'", train("iris.csv", "--target", "99999999999"));
        refused("99999999999 units is far too many", train("iris.csv", "--layers", "4-99999999999:relu-3:softmax"));
        refused("--class-names names IDX labels 0, 1, ...", train("iris.csv", "--class-names", "a,b,c"));
    }

    @Test
    void labelsAndWidthsThatDoNotFitTheModel() throws Exception {
        Cli.text(dir.resolve("unseen.csv"), "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,species\n"
                + "5.1,3.5,1.4,0.2,setosa\n6.0,3.0,4.8,1.8,orchid\n");
        refused("unseen.csv, line 3, column 5 (species): label 'orchid' was not seen in training; the model knows 3 classes: setosa,"
                + " versicolor, virginica", "evaluate", "good.model.json", "unseen.csv");
        Cli.text(dir.resolve("narrow.csv"), "5.1,3.5,1.4\n6.0,3.0,4.8\n");
        refused("narrow.csv has 3 feature columns but the model takes 4", "predict", "good.model.json", "narrow.csv", "-o", "existing.csv");
        Cli.text(dir.resolve("renamed.csv"), "a,b,c,d\n5.1,3.5,1.4,0.2\n");
        refused("renamed.csv: has no column 'sepal_length_cm', which the model takes as input 1 of 4", "predict", "good.model.json",
                "renamed.csv", "-o", "existing.csv");
    }

    @Test
    void damagedIdxFiles() throws Exception {
        byte[] pixels = new byte[10 * 4];
        Cli.idx(dir.resolve("ok-images-idx3-ubyte"), new int[] {10, 2, 2}, pixels, false);
        Cli.idx(dir.resolve("ok-labels-idx1-ubyte"), new int[] {10}, new byte[] {0, 1, 0, 1, 0, 1, 0, 1, 0, 1}, false);
        byte[] whole = Files.readAllBytes(dir.resolve("ok-images-idx3-ubyte"));
        Files.write(dir.resolve("cut-images-idx3-ubyte"), java.util.Arrays.copyOf(whole, whole.length - 7));
        refused("cut-images-idx3-ubyte: is truncated: the header promises [10, 2, 2] = 40 values (40 bytes) but the data ends after 33 bytes",
                train("cut-images-idx3-ubyte", "--labels", "ok-labels-idx1-ubyte"));
        byte[] bad = whole.clone();
        bad[0] = 0x12;
        Files.write(dir.resolve("magic-images-idx3-ubyte"), bad);
        refused("magic-images-idx3-ubyte: bad magic number 0x12000803: not an IDX file", train("magic-images-idx3-ubyte", "--labels",
                "ok-labels-idx1-ubyte"));
        Cli.idx(dir.resolve("huge-images-idx3-ubyte"), new int[] {3, 0x7fffffff, 0x7fffffff, 0x7fffffff}, new byte[8], false);
        refused("promises more values than one array can hold", train("huge-images-idx3-ubyte", "--labels", "ok-labels-idx1-ubyte"));
        Cli.idx(dir.resolve("liar-images-idx3-ubyte"), new int[] {2_000_000_000}, new byte[8], false);
        refused("liar-images-idx3-ubyte: is truncated: the header promises [2000000000] = 2000000000 values", train("liar-images-idx3-ubyte",
                "--labels", "ok-labels-idx1-ubyte"));
        Cli.idx(dir.resolve("few-labels-idx1-ubyte"), new int[] {9}, new byte[9], false);
        refused("has 9 labels but", train("ok-images-idx3-ubyte", "--labels", "few-labels-idx1-ubyte"));
        byte[] gz = Files.readAllBytes(Cli.idx(dir.resolve("z-images-idx3-ubyte.gz"), new int[] {10, 2, 2}, pixels, true));
        Files.write(dir.resolve("zcut-images-idx3-ubyte.gz"), java.util.Arrays.copyOf(gz, gz.length / 2));
        refused("zcut-images-idx3-ubyte.gz", train("zcut-images-idx3-ubyte.gz", "--labels", "ok-labels-idx1-ubyte"));
    }

    /** A diverged run keeps its last good weights beside the model, never over it. */
    @Test
    void aDivergedRunDoesNotReplaceTheModel() throws Exception {
        refused("Likely cause", train("iris.csv", "--optimizer", "sgd", "--lr", "1e6", "--patience", "0", "--validation", "0"));
        assertTrue(Files.exists(dir.resolve("existing.diverged.model.json")));
    }

    @Test
    void damagedModelFiles() throws Exception {
        String good = Files.readString(dir.resolve("good.model.json"));
        Cli.text(dir.resolve("truncated.json"), good.substring(0, good.length() / 3));
        refused("truncated.json: not valid JSON", "evaluate", "truncated.json", "iris.csv");
        refused("may be truncated", "predict", "truncated.json", "iris.csv", "-o", "existing.csv");
        Cli.text(dir.resolve("future.json"), good.replace("\"version\": 1", "\"version\": 9"));
        refused("future.json: model format version 9 is newer than this backprop", "info", "future.json");
        Files.write(dir.resolve("garbage.json"), new byte[] {0x50, 0x4b, 0x03, 0x04, (byte) 0x80, 0x00});
        refused("garbage.json: not a backprop model file", "info", "garbage.json");
        Cli.text(dir.resolve("edited.json"), good.replaceFirst("\"tanh\"", "\"tanhh\""));
        refused("did you mean 'tanh'", "evaluate", "edited.json", "iris.csv");
    }

    @Test
    void unknownNamesSuggestTheClosest() throws Exception {
        refused("unknown activation 'relux' (did you mean 'relu'?)", train("iris.csv", "--layers", "4-8:relux-3:softmax"));
        refused("unknown cost 'cross_entropi' (did you mean 'cross_entropy'?)", train("iris.csv", "--cost", "cross_entropi"));
        refused("unknown optimizer 'adm' (did you mean 'adam'?)", train("iris.csv", "--optimizer", "adm"));
        Cli.text(dir.resolve("numbers.csv"), "a,b,y\n1,2,0.5\n3,4,0.25\n5,6,0.75\n");
        refused("cost itakura_saito cannot take the outputs of tanh (range (-1, 1)); output activations that fit itakura_saito:"
                + " sigmoid, softplus, softmax", train("numbers.csv", "--layers", "2-8:relu-1:tanh", "--cost", "itakura_saito"));
        refused("the target holds text labels, but the output layer (tanh) predicts numbers", train("iris.csv", "--layers", "4-8:relu-3:tanh"));
        refused("Possible solutions: --eps, --epochs", "train", "iris.csv", "--epoch", "3");
        refused("the output layer has 2 units but the data has 3 classes (setosa, versicolor, virginica)", train("iris.csv", "--layers",
                "4-8:relu-2:softmax"));
        refused("--batch must be a number, 'online' or 'full', got 'lots'", train("iris.csv", "--batch", "lots"));
        refused("cannot read the time '5 minutes'", train("iris.csv", "--time-limit", "5 minutes"));
    }

    @Test
    void secondOrderMisuse() throws Exception {
        refused("lm needs a sum-of-squares cost (quadratic or hellinger); this network's cost is cross_entropy",
                train("iris.csv", "--optimizer", "lm"));
        refused("first-order hyper-parameters (--lr, --momentum, --beta1, ...) do not apply to lm", train("iris.csv", "--optimizer", "lm",
                "--lr", "0.1"));
        refused("--batch (second-order methods use the whole training set for every iteration) does not apply to bfgs",
                train("iris.csv", "--optimizer", "bfgs", "--batch", "16"));
        refused("--history does not apply to bfgs", train("iris.csv", "--optimizer", "bfgs", "--history", "5"));
        refused("are options of the second-order methods lm, br and lbfgs, not of adam", train("iris.csv", "--mu-max", "1e8"));
        refused("mu_dec must be in (0, 1), got 2.0", train("iris.csv", "--optimizer", "br", "--cost", "quadratic", "--layers",
                "4-3:tanh-3:softmax", "--mu-dec", "2"));
        refused("unknown optimizer 'lbgfs' (did you mean 'lbfgs'?)", train("iris.csv", "--optimizer", "lbgfs"));
        refused("Levenberg-Marquardt works with n×n matrices: 80,003 parameters would need 3 of them", train("iris.csv", "--optimizer", "lm", "--cost",
                "quadratic", "--layers", "4-10000:tanh-3:softmax"));
    }
}
