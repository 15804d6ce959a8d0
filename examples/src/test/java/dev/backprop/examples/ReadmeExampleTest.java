package dev.backprop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.Network;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's code is the Quickstart's code, and it runs as a user would run it. */
class ReadmeExampleTest {
    @TempDir
    Path dir;

    @Test
    void readmeShowsTheQuickstartCode() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int marker = readme.indexOf("<!-- quickstart");
        assertTrue(marker >= 0, "README lost its quickstart marker");
        int start = readme.indexOf("```java\n", marker) + "```java\n".length();
        String block = readme.substring(start, readme.indexOf("```", start));
        String source = Files.readString(Path.of("src/main/java/dev/backprop/examples/Quickstart.java"));
        String body = source.substring(source.indexOf("// README:begin\n") + "// README:begin\n".length(), source.indexOf("// README:end"));
        assertEquals(dedent(block), dedent(body), "README and Quickstart.java differ");
        assertTrue(dedent(block).lines().count() <= 10, "the example is ten lines");
    }

    @Test
    void quickstartRunsAndSavesAModel() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Quickstart.class.getName())
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("accuracy 1.0000"), out);
        Network net = Network.load(dir.resolve("xor.model.json"));
        assertTrue(net.predict(new double[] {0, 1})[0] > 0.5 && net.predict(new double[] {1, 1})[0] < 0.5);
    }

    @Test
    void theTourRuns() throws Exception {
        Path model = dir.resolve("iris.model.json");
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            Tour.main(new String[] {model.toString()});
        } finally {
            System.setOut(old);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        for (String expected : List.of("dE/dw by backpropagation", "test accuracy", "PASSED", "byte-identical: true",
                "Likely cause: learning rate too large")) {
            assertTrue(out.contains(expected), "tour output lacks '" + expected + "':\n" + out);
        }
        assertTrue(Files.exists(model));
    }

    private static String dedent(String text) {
        List<String> lines = text.lines().map(String::stripTrailing).dropWhile(String::isBlank).toList();
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return String.join("\n", lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList()).strip();
    }
}
