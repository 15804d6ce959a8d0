package dev.backprop.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.backprop.Activation;
import dev.backprop.Cost;
import dev.backprop.LayerSpec;
import dev.backprop.Network;
import dev.backprop.Precision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The format document is enough to write a reader: docs/read_model.py must compute the same outputs as we do. */
class PythonReaderTest {
    private static final Path READER = Path.of("..", "docs", "read_model.py");

    @TempDir
    Path dir;

    private static String python() {
        for (String p : List.of("/usr/bin/python3", "python3")) {
            try {
                Process proc = new ProcessBuilder(p, "--version").redirectErrorStream(true).start();
                if (proc.waitFor(10, TimeUnit.SECONDS) && proc.exitValue() == 0) {
                    return p;
                }
            } catch (IOException | InterruptedException e) {
                // try the next one
            }
        }
        return null;
    }

    @Test
    void pythonReaderReproducesOurOutputs() throws Exception {
        String python = python();
        assumeTrue(python != null, "python3 is not installed");
        assertTrue(Files.exists(READER), READER.toAbsolutePath() + " is missing");
        int n = 0;
        for (Activation hidden : Activation.all()) {
            if (hidden instanceof Activation.Softmax) {
                continue;
            }
            for (Precision p : Precision.values()) {
                Network net = Network.builder(3).precision(p).dense(5, hidden).layer(LayerSpec.dense(4, Activation.elu(0.5)).withoutBias())
                        .dense(3, Activation.softmax()).cost(Cost.crossEntropy()).build(n++);
                net.setInputScaling(new dev.backprop.InputScaling("custom", new double[] {0.5, -1, 2}, new double[] {2, 0.5, 3}));
                Path file = dir.resolve("m" + n + ".json");
                net.save(file);
                double[] x = {0.7, -1.3, 2.1};
                List<String> cmd = new ArrayList<>(List.of(python, READER.toString(), file.toString()));
                for (double v : x) {
                    cmd.add(Double.toString(v));
                }
                Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                assertTrue(proc.waitFor(30, TimeUnit.SECONDS));
                assertEquals(0, proc.exitValue(), out);
                String[] parts = out.split(" ");
                double[] ours = net.predict(x);
                assertEquals(ours.length, parts.length, out);
                double tol = p == Precision.FLOAT64 ? 1e-13 : 1e-6;
                for (int k = 0; k < ours.length; k++) {
                    assertEquals(ours[k], Double.parseDouble(parts[k]), tol, hidden.id() + " " + p.id() + " output " + k);
                }
            }
        }
    }
}
