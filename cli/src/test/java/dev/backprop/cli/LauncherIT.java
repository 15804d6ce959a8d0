package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./backprop} script at the repository root, run as a user runs it, after the jar is packaged
 * (integration-test phase): it finds the JDK, sees the build is current, and runs the demo. With the
 * {@code dataset-fashion-mnist} package installed, the README's main job must reach 0.88 test accuracy.
 */
class LauncherIT {
    @TempDir
    Path dir;

    private static final Path SCRIPT = Path.of("..", "backprop").toAbsolutePath().normalize();

    private String run(long timeoutSeconds, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(SCRIPT.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(timeoutSeconds, TimeUnit.SECONDS), "finished in time");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void theScriptRunsTheCommand() throws Exception {
        String version = run(120, "--version");
        assertTrue(version.startsWith("backprop "), version);
        assertTrue(!version.contains("building"), "the packaged jar is current, so nothing is rebuilt: " + version);
    }

    @Test
    void theIrisDemoRunsWithoutTheDataset() throws Exception {
        String out = run(300, "demo", "--iris", "--out", "demo");
        assertTrue(out.contains("test:       accuracy"), out);
        assertTrue(Files.exists(dir.resolve("demo/iris.report.html")));
    }

    @Test
    void theFashionMnistDemoBeatsTheScikitLearnBaseline() throws Exception {
        assumeTrue(Files.exists(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")),
                "dataset-fashion-mnist is not installed");
        String out = run(1200, "demo", "--out", "demo");
        Matcher m = Pattern.compile("Fashion-MNIST test accuracy ([0-9.]+)").matcher(out);
        assertTrue(m.find(), out);
        double accuracy = Double.parseDouble(m.group(1));
        assertTrue(accuracy >= 0.88, "test accuracy " + accuracy + " (README promises at least 0.88)\n" + out);
        assertTrue(out.contains("the whole run took"), out);
        for (String f : List.of("fashion-mnist.model.json", "fashion-mnist.loss.png", "fashion-mnist.confusion.png", "fashion-mnist.report.html")) {
            assertTrue(Files.exists(dir.resolve("demo").resolve(f)), f);
        }
    }
}
