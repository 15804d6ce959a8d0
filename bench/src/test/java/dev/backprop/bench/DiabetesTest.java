package dev.backprop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.io.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness itself (not its timings): it reads the data, runs every method, parses the peers' records and
 * writes a report and JSON. The peers need Python packages CI does not install, so they are fed from a record.
 */
class DiabetesTest {

    static Path syntheticData(Path dir) throws Exception {
        Random rnd = new Random(3);
        StringBuilder sb = new StringBuilder("x1,x2,x3,x4,x5,x6,x7,x8,x9,x10,y\n");
        for (int i = 0; i < 60; i++) {
            double s = 0;
            for (int j = 0; j < 10; j++) {
                double v = rnd.nextGaussian();
                s += Math.sin(v) * (j + 1) / 10;
                sb.append(v).append(',');
            }
            sb.append(s / 3 + 0.1 * rnd.nextGaussian()).append('\n');
        }
        Path file = dir.resolve("data.csv");
        Files.writeString(file, sb);
        return file;
    }

    @Test
    void runsEveryMethodWithoutPeersAndWritesJson(@TempDir Path dir) throws Exception {
        Path data = syntheticData(dir);
        Path json = dir.resolve("out.json");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = Diabetes.run(Diabetes.Options.parse(new String[] {"--no-peers", "--data", data.toString(), "--seeds", "2",
            "--iterations", "3", "--json", json.toString()}), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(0, status);
        String report = bytes.toString(StandardCharsets.UTF_8);
        for (String m : Diabetes.METHODS) {
            assertTrue(report.contains("backprop " + m + " "), report);
        }
        assertTrue(report.contains("60 examples x 10 features"), report);
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) Json.parse(Files.readString(json));
        List<?> rows = (List<?>) root.get("rows");
        assertEquals(Diabetes.METHODS.size(), rows.size());
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) rows.getFirst();
        List<?> mse = (List<?>) first.get("mse");
        assertEquals(2, mse.size());
        double m0 = Double.parseDouble(((Json.Num) mse.getFirst()).literal());
        assertTrue(m0 > 0 && m0 < 1, "MSE " + m0);
    }

    @Test
    void readsThePeersRecords() throws Exception {
        String text = "{\"versions\": {\"sklearn\": \"1.2.1\"}, \"records\": ["
                + "{\"name\": \"sklearn MLPRegressor lbfgs\", \"seed\": 0, \"mse\": 0.12, \"seconds\": 0.05, \"count\": 500},"
                + "{\"name\": \"sklearn MLPRegressor lbfgs\", \"seed\": 1, \"mse\": 0.10, \"seconds\": 0.07, \"count\": 500},"
                + "{\"name\": \"scipy least_squares lm\", \"seed\": 0, \"mse\": 0.09, \"seconds\": 4.5, \"count\": 900},"
                + "{\"name\": \"scipy least_squares lm\", \"seed\": 1, \"mse\": 0.095, \"seconds\": 4.7, \"count\": 800}]}";
        Map<String, String> versions = new LinkedHashMap<>();
        List<Diabetes.Row> rows = Diabetes.peerRows(Json.parse(text), 2, versions);
        assertEquals("1.2.1", versions.get("sklearn"));
        assertEquals(2, rows.size());
        assertEquals(0.11, Stats.median(rows.get(0).mse()), 1e-12);
        assertEquals(0.06, Stats.median(rows.get(0).seconds()), 1e-12);
        assertEquals("evaluations", rows.get(1).countLabel());
        assertEquals(850, Stats.median(rows.get(1).counts()), 1e-12);
    }

    @Test
    void badOptionsSayWhatIsWrong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Diabetes.Options.parse(new String[] {"--seeds", "zero"}));
        assertTrue(e.getMessage().contains("--seeds") && e.getMessage().contains("zero"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Diabetes.Options.parse(new String[] {"--no-peers"}));
        assertTrue(e.getMessage().contains("--data"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Diabetes.Options.parse(new String[] {"--iterations", "0"}));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
    }

    @Test
    void missingPythonIsABenchmarkErrorWithTheInstallHint(@TempDir Path dir) {
        BenchmarkException e = assertThrows(BenchmarkException.class, () -> Diabetes.run(Diabetes.Options.parse(new String[] {
            "--python", dir.resolve("no-such-python").toString(), "--seeds", "1", "--iterations", "1"}), new PrintStream(
                new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("apt-get install python3-sklearn"), e.getMessage());
    }
}
