package dev.backprop.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.io.Json;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The W1 harness itself (not its timings): options, the report and JSON on made-up rows, the peer's JSON, and one
 * epoch of backprop's side on a tiny made-up IDX set. PyTorch and the real Fashion-MNIST are not needed.
 */
class W1Test {

    private static String[] args(String... a) {
        return a;
    }

    @Test
    void parsesOptionsAndDefaults() {
        W1.Options d = W1.Options.parse(args());
        assertEquals(10, d.epochs());
        assertEquals(1, d.torchThreads());
        assertEquals(Runtime.getRuntime().availableProcessors(), d.threads());
        assertTrue(d.peers());
        assertEquals(Path.of("/usr/share/datasets/fashion-mnist"), d.data());
        assertEquals("/usr/bin/python3", d.python());
        assertNull(d.json());
        assertEquals(W1.Options.bestBlasCore(), d.blasCore(), "the peer gets its fastest OpenBLAS kernels by default");
        assertNull(W1.Options.parse(args("--openblas-coretype", "default")).blasCore(), "'default' leaves OpenBLAS its own choice");
        W1.Options o = W1.Options.parse(args("--epochs", "3", "--threads", "1", "--torch-threads", "2", "--no-peers", "--data", "/tmp/f",
            "--python", "/opt/py", "--json", "out.json", "--openblas-coretype", "SkylakeX", "--torch-denormals", "keep", "--batch", "32"));
        assertEquals(new W1.Options(3, 1, 2, false, Path.of("/tmp/f"), "/opt/py", Path.of("out.json"), "SkylakeX", 32, false), o);
        assertEquals(128, d.batch(), "the issue's workload trains on mini-batches of 128");
        assertTrue(d.flushDenormal(), "the peer flushes subnormal numbers by default, as backprop's Adam does");
    }

    @Test
    void badOptionsNameTheBadValue() {
        String[][] bad = {{"--epochs", "zero"}, {"--epochs", "0"}, {"--threads", "-2"}, {"--threads", "two"}, {"--torch-threads", "0"},
            {"--torch-threads", "1.5"}, {"--frobnicate"}, {"--openblas-coretype", "Sky lake"},
            {"--torch-denormals", "maybe"}, {"--batch", "0"}, {"--batch", "big"}};
        for (String[] a : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> W1.Options.parse(a), String.join(" ", a));
            assertTrue(e.getMessage().contains(a[a.length - 1]), e.getMessage());
            assertTrue(e.getMessage().contains(a[0]), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> W1.Options.parse(args("--epochs")));
        assertTrue(e.getMessage().contains("--epochs needs a value"), e.getMessage());
    }

    @Test
    void checkpointsAreOneFiveTenAndTheLast() {
        assertArrayEquals(new int[] {1, 5, 10}, W1.checkpoints(10));
        assertArrayEquals(new int[] {1}, W1.checkpoints(1));
        assertArrayEquals(new int[] {1, 2}, W1.checkpoints(2));
        assertArrayEquals(new int[] {1, 5, 7}, W1.checkpoints(7));
        assertArrayEquals(new int[] {1, 5, 10, 15}, W1.checkpoints(15));
    }

    private static List<W1.Row> madeUpRows() {
        W1.Row ours = new W1.Row("backprop", new double[] {2.0, 1.0, 1.2}, new int[] {1, 3}, new double[] {0.8, 0.85}, 812.5, 60000);
        W1.Row torch = new W1.Row("pytorch", new double[] {0.6, 0.5, 0.5}, new int[] {1, 3}, new double[] {0.81, 0.86}, 536.0, 60000);
        return List.of(ours, torch);
    }

    @Test
    void rowFigures() {
        W1.Row r = madeUpRows().getFirst();
        assertEquals(1.2, r.medianSeconds(), 1e-12);
        assertEquals(1.1, r.meanSecondsAfterFirst(), 1e-12);
        assertEquals(50000, r.samplesPerSecond(), 1e-9);
        assertEquals(4.2, r.totalSeconds(), 1e-12);
        assertEquals(1.6 / 4.2, W1.totalRatio(madeUpRows()), 1e-12);
        assertTrue(Double.isNaN(W1.totalRatio(List.of(madeUpRows().getFirst()))));
        assertEquals(0.85, r.accuracyAt(3), 0);
        assertTrue(Double.isNaN(r.accuracyAt(2)));
        assertTrue(Double.isNaN(new W1.Row("x", new double[] {1}, new int[] {1}, new double[] {0.5}, 1, 10).meanSecondsAfterFirst()));
        assertEquals(0.5 / 1.2, W1.ratio(madeUpRows()), 1e-12);
        assertEquals(-0.01, W1.accuracyDifference(madeUpRows(), 3), 1e-12);
        assertTrue(Double.isNaN(W1.ratio(List.of(madeUpRows().getFirst()))));
    }

    @Test
    void reportAndJsonOnMadeUpRows() throws Exception {
        W1.Options options = W1.Options.parse(args("--epochs", "3", "--threads", "2", "--openblas-coretype", "default"));
        Map<String, String> versions = new LinkedHashMap<>(Map.of("torch", "1.13.0a0", "torch_threads", "1", "openblas", "0.3.21",
            "openblas_core", "Prescott", "blas_threads", "2", "numpy", "1.24.2", "python", "3.11.2"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        W1.Efficiency efficiency = new W1.Efficiency(60.0, 300.0, 2, 95.4, 351.0);
        W1.report(new PrintStream(bytes, true, StandardCharsets.UTF_8), options, "scalar-float32", madeUpRows(), versions, efficiency);
        String report = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(report.contains("kernels scalar-float32, 2 threads"), report);
        assertTrue(report.contains("torch 1.13.0a0 (1 thread), OpenBLAS 0.3.21 (Prescott kernels, 2 threads)"), report);
        assertTrue(report.contains("60,000 training images"), report);
        assertTrue(report.contains("acc@1") && report.contains("acc@3") && !report.contains("acc@5"), report);
        assertTrue(report.contains("note: the peer's OpenBLAS"), report);
        String ours = report.lines().filter(l -> l.startsWith("backprop  ")).findFirst().orElseThrow();
        assertTrue(ours.matches("backprop +1\\.200 +1\\.100 +50,000 +4\\.20 +0\\.8000 +0\\.8500 +813"), ours);
        String torch = report.lines().filter(l -> l.startsWith("pytorch  ")).findFirst().orElseThrow();
        assertTrue(torch.matches("pytorch +0\\.500 +0\\.500 +120,000 +1\\.60 +0\\.8100 +0\\.8600 +536"), torch);
        assertTrue(report.contains("ratio pytorch s/epoch / backprop s/epoch: 0.417 (pytorch is faster)"), report);
        assertTrue(report.contains("after epoch 3, backprop - pytorch: -0.0100"), report);
        assertTrue(report.contains("ratio of the total training time of all 3 epochs, the JIT's warm-up included: 0.381"), report);
        // 60 GFLOP in backprop's median epoch of 1.2 s: 50 GFLOP/s, a sixth of a 300 GFLOP/s peak
        assertTrue(report.contains("backprop's step: 60.0 GFLOP per epoch (forward products, weight gradients, deltas), 50 GFLOP/s at the"
            + " median epoch: 17% of the float32 FMA peak of 2 threads measured after training (300 GFLOP/s)"), report);
        assertTrue(report.contains("a cache line's round trip between two cores: 95 ns before backprop's training, 351 ns after"), report);

        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) Json.parse(W1.json(options, "scalar-float32", madeUpRows(), versions, efficiency));
        assertEquals("w1", root.get("benchmark"));
        assertEquals("scalar-float32", root.get("kernels"));
        assertEquals(3, ((Json.Num) root.get("epochs")).intValue());
        @SuppressWarnings("unchecked")
        Map<String, Object> pv = (Map<String, Object>) root.get("peer_versions");
        assertEquals("Prescott", pv.get("openblas_core"));
        List<?> rows = (List<?>) root.get("rows");
        assertEquals(2, rows.size());
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) rows.getFirst();
        assertEquals("backprop", first.get("name"));
        assertEquals(1.2, ((Json.Num) first.get("median_epoch_seconds")).doubleValue(), 1e-12);
        assertEquals(3, ((List<?>) first.get("epoch_seconds")).size());
        assertEquals(0.5 / 1.2, ((Json.Num) root.get("pytorch_over_backprop_seconds")).doubleValue(), 1e-12);
        assertEquals(4.2, ((Json.Num) first.get("total_seconds")).doubleValue(), 1e-12);
        assertEquals(1.6 / 4.2, ((Json.Num) root.get("pytorch_over_backprop_total_seconds")).doubleValue(), 1e-12);
        assertEquals(50.0, ((Json.Num) root.get("step_gflops")).doubleValue(), 1e-12);
        assertEquals(50.0 / 300, ((Json.Num) root.get("step_fraction_of_peak")).doubleValue(), 1e-12);
        assertEquals(2, ((Json.Num) root.get("fma_peak_threads")).intValue());
        assertEquals(95.4, ((Json.Num) root.get("core_round_trip_ns_before")).doubleValue(), 1e-12);
        assertEquals(351.0, ((Json.Num) root.get("core_round_trip_ns_after")).doubleValue(), 1e-12);
        // one thread: no round trip is measured, and none is reported
        W1.Efficiency alone = new W1.Efficiency(60.0, 150.0, 1, Double.NaN, Double.NaN);
        ByteArrayOutputStream one = new ByteArrayOutputStream();
        W1.report(new PrintStream(one, true, StandardCharsets.UTF_8), options, "scalar-float32", madeUpRows(), versions, alone);
        assertFalse(one.toString(StandardCharsets.UTF_8).contains("round trip"), one.toString(StandardCharsets.UTF_8));
        assertFalse(W1.json(options, "scalar-float32", madeUpRows(), versions, alone).contains("core_round_trip"));
    }

    /** The products of a step: forward, weight gradients of the trainable layers, deltas above the lowest trainable one. */
    @Test
    void stepFlopsCountTheProducts() {
        dev.backprop.Network net = W1.network(1);
        double forward = 2.0 * (784 * 256 + 256 * 128 + 128 * 10);
        assertEquals(forward + forward + 2.0 * (256 * 128 + 128 * 10), W1.stepFlopsPerExample(net));
        assertEquals(1_007_104, W1.stepFlopsPerExample(net));
        net.freeze(0); // no weight gradient for the first layer, and no delta handed down to it
        assertEquals(forward + 2.0 * (256 * 128 + 128 * 10) + 2.0 * (128 * 10), W1.stepFlopsPerExample(net));
    }

    @Test
    void readsThePeersJson() throws Exception {
        String text = "{\"name\": \"pytorch\", \"versions\": {\"torch\": \"1.13.0a0\", \"numpy\": \"1.24.2\", \"python\": \"3.11.2\","
                + " \"openblas\": \"0.3.21\", \"openblas_core\": \"SkylakeX\"}, \"threads\": {\"torch\": 1, \"blas\": 2},"
                + " \"train_examples\": 60000, \"test_examples\": 10000, \"epoch_seconds\": [0.61, 0.5, 0.52], \"checkpoints\": [1, 3],"
                + " \"accuracy\": [0.83, 0.86], \"peak_rss_kb\": 549448}";
        Map<String, String> versions = new LinkedHashMap<>();
        W1.Row r = W1.peerRow(Json.parse(text), versions);
        assertEquals("pytorch", r.name());
        assertEquals(0.52, r.medianSeconds(), 1e-12);
        assertArrayEquals(new int[] {1, 3}, r.checkpoints());
        assertEquals(0.86, r.accuracyAt(3), 0);
        assertEquals(549448 / 1024.0, r.peakMiB(), 1e-9);
        assertEquals(60000, r.trainSize());
        assertEquals("1.13.0a0", versions.get("torch"));
        assertEquals("SkylakeX", versions.get("openblas_core"));
        assertEquals("1", versions.get("torch_threads"));
        assertEquals("2", versions.get("blas_threads"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> W1.peerRow(Json.parse(
            "{\"epoch_seconds\": [1], \"checkpoints\": [1], \"accuracy\": [0.5]}"), new LinkedHashMap<>()));
        assertTrue(e.getMessage().contains("train_examples"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> W1.peerRow(Json.parse(
            "{\"epoch_seconds\": [1], \"checkpoints\": [1, 2], \"accuracy\": [0.5], \"train_examples\": 5}"), new LinkedHashMap<>()));
        assertTrue(e.getMessage().contains("2 checkpoints"), e.getMessage());
    }

    /** Writes an IDX file of unsigned bytes (gzipped when the name ends in .gz). */
    static void writeIdx(Path file, int[] dims, byte[] values) throws Exception {
        try (OutputStream raw = Files.newOutputStream(file);
             DataOutputStream out = new DataOutputStream(file.toString().endsWith(".gz") ? new GZIPOutputStream(raw) : raw)) {
            out.write(new byte[] {0, 0, 0x08, (byte) dims.length});
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(values);
        }
    }

    /** n random 28 × 28 images and labels 0..9, where the label shifts the image's brightness (learnable). */
    static void writeTinySet(Path dir, String prefix, int n, long seed, boolean gz) throws Exception {
        Random rnd = new Random(seed);
        byte[] images = new byte[n * 784];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) rnd.nextInt(10);
            for (int p = 0; p < 784; p++) {
                images[i * 784 + p] = (byte) Math.min(255, rnd.nextInt(100) + 15 * labels[i]);
            }
        }
        String ext = gz ? ".gz" : "";
        writeIdx(dir.resolve(prefix + "-images-idx3-ubyte" + ext), new int[] {n, 28, 28}, images);
        writeIdx(dir.resolve(prefix + "-labels-idx1-ubyte" + ext), new int[] {n}, labels);
    }

    @Test
    void oneEpochOfOursOnATinySet(@TempDir Path dir) throws Exception {
        writeTinySet(dir, "train", 300, 1, true);
        writeTinySet(dir, "t10k", 100, 2, false);
        Path json = dir.resolve("w1.json");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = W1.run(W1.Options.parse(args("--no-peers", "--epochs", "1", "--threads", "2", "--data", dir.toString(), "--json",
            json.toString())), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(0, status);
        String report = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(report.contains("300 training images"), report);
        assertTrue(report.contains("epoch 1/1: "), report);
        assertFalse(report.contains("ratio"), report);
        assertTrue(report.contains("backprop's step: 0.3 GFLOP per epoch"), report); // 300 examples of 1,007,104 operations
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) Json.parse(Files.readString(json));
        List<?> rows = (List<?>) root.get("rows");
        assertEquals(1, rows.size());
        @SuppressWarnings("unchecked")
        Map<String, Object> row = (Map<String, Object>) rows.getFirst();
        double seconds = ((Json.Num) row.get("median_epoch_seconds")).doubleValue();
        assertTrue(seconds > 0 && Double.isFinite(seconds), "seconds " + seconds);
        double rate = ((Json.Num) row.get("samples_per_second")).doubleValue();
        assertTrue(rate > 0 && Double.isFinite(rate), "samples/s " + rate);
        double fraction = ((Json.Num) root.get("step_fraction_of_peak")).doubleValue();
        assertTrue(fraction > 0 && fraction < 1.5, "fraction of the peak " + fraction);
        double accuracy = ((Json.Num) ((List<?>) row.get("test_accuracy")).getFirst()).doubleValue();
        assertTrue(accuracy >= 0 && accuracy <= 1, "accuracy " + accuracy);
        Object peak = row.get("peak_rss_mib");
        if (Files.isReadable(Path.of("/proc/self/status"))) {
            double mib = ((Json.Num) peak).doubleValue();
            assertTrue(mib > 10 && Double.isFinite(mib), "peak RSS " + mib);
        }
    }

    @Test
    void missingDataNamesThePackage(@TempDir Path dir) {
        BenchmarkException e = assertThrows(BenchmarkException.class, () -> W1.run(W1.Options.parse(args("--no-peers", "--data",
            dir.toString())), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void missingPythonNamesThePackage(@TempDir Path dir) throws Exception {
        writeTinySet(dir, "train", 10, 1, false);
        writeTinySet(dir, "t10k", 10, 2, false);
        BenchmarkException e = assertThrows(BenchmarkException.class, () -> W1.run(W1.Options.parse(args("--data", dir.toString(),
            "--python", dir.resolve("no-such-python").toString(), "--epochs", "1")), new PrintStream(new ByteArrayOutputStream(), true,
            StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("apt-get install python3-torch"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
