package dev.backprop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scaling harness itself (not its timings): options, and one pair of real child processes on a tiny made-up set. */
class ScalingTest {

    @Test
    void parsesOptionsAndRefusesBadOnes() {
        Scaling.Options d = Scaling.Options.parse(new String[0]);
        assertEquals(4, d.pairs());
        assertEquals(10, d.epochs());
        assertEquals(Math.max(2, Runtime.getRuntime().availableProcessors()), d.threads());
        assertEquals(W1.DEFAULT_DATA, d.data());
        assertEquals(new Scaling.Options(2, 3, 4, Path.of("/tmp/d")),
                Scaling.Options.parse(new String[] {"--pairs", "2", "--epochs", "3", "--threads", "4", "--data", "/tmp/d"}));
        String[][] bad = {{"--pairs", "0"}, {"--epochs", "x"}, {"--threads", "1"}, {"--frobnicate", "1"}, {"--pairs"}};
        for (String[] a : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scaling.Options.parse(a), String.join(" ", a));
            assertTrue(e.getMessage().contains(a[0]) || e.getMessage().contains(a[a.length - 1]), e.getMessage());
        }
    }

    @Test
    void onePairOfFreshProcessesOnATinySet(@TempDir Path dir) throws Exception {
        W1Test.writeTinySet(dir, "train", 300, 1, true);
        W1Test.writeTinySet(dir, "t10k", 100, 2, false);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = Scaling.run(new Scaling.Options(1, 1, 2, dir), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(0, status);
        String report = bytes.toString(StandardCharsets.UTF_8);
        List<String> lines = report.lines().toList();
        assertTrue(lines.getFirst().startsWith("W1 thread scaling: 1 pair of fresh processes (w1 --no-peers, 1 epoch), 1 thread then 2"), report);
        String pair = lines.stream().filter(l -> l.startsWith("1 ")).findFirst().orElseThrow();
        assertTrue(pair.matches("1 +\\d+\\.\\d{3} +\\d+\\.\\d{3} +\\d+\\.\\d\\dx +\\d+% +\\d+ / \\d+"), pair);
        assertTrue(lines.getLast().startsWith("median speed-up "), report);
    }

    @Test
    void aMissingDatasetFailsOnceWithItsMessage(@TempDir Path dir) {
        BenchmarkException e = assertThrows(BenchmarkException.class,
                () -> Scaling.run(new Scaling.Options(1, 1, 2, dir), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("Fashion-MNIST is not in " + dir), e.getMessage());
    }
}
