package dev.backprop.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.Activation;
import dev.backprop.Cost;
import dev.backprop.LayerSpec;
import dev.backprop.Network;
import dev.backprop.Precision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
    @TempDir
    Path dir;

    private static Network sample(Precision p) {
        Network net = Network.builder(3).precision(p)
                .dense(4, Activation.leakyRelu(0.05))
                .layer(LayerSpec.dense(3, Activation.elu(0.7)).withoutBias())
                .dense(2, Activation.identity())
                .cost(Cost.exponential(2.5))
                .build(11);
        net.freeze(1);
        net.setInputNames(List.of("a", "b \"quoted\"", "c"));
        net.setInputScaling(new dev.backprop.InputScaling("standard", new double[] {0.1, -2, 3e5}, new double[] {1.5, 0.25, 7}));
        net.setOutputNames(List.of("y1", "y2"));
        net.putProvenance("note", "quotes \" and \\ and\nnewlines survive, and a lone surrogate \ud800 too");
        return net;
    }

    @Test
    void saveLoadSaveIsByteIdentical() throws IOException {
        for (Precision p : Precision.values()) {
            Network net = sample(p);
            Path a = dir.resolve("a-" + p.id() + ".json");
            Path b = dir.resolve("b-" + p.id() + ".json");
            net.save(a);
            Network back = Network.load(a);
            back.save(b);
            assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), "re-saved " + p.id() + " model differs");
            assertTrue(net.parameters().bitEquals(back.parameters()), "parameters changed in the round trip");
            assertEquals(net.toString(), back.toString());
            assertTrue(back.layer(1).isFrozen());
            assertEquals(net.provenance(), back.provenance());
            assertEquals(net.inputScaling(), back.inputScaling());
            assertEquals(net.inputNames(), back.inputNames());
            assertEquals(net.outputNames(), back.outputNames());
            double[] x = {0.3, -1.2, 2.0};
            assertArrayEquals(net.predict(x), back.predict(x));
        }
    }

    @Test
    void weightsAreNestedArraysOutByIn() throws Exception {
        Network net = sample(Precision.FLOAT32);
        Object root = Json.parse(ModelFile.toJson(net));
        List<?> layers = (List<?>) ((java.util.Map<?, ?>) root).get("layers");
        List<?> w = (List<?>) ((java.util.Map<?, ?>) layers.get(0)).get("W");
        assertEquals(4, w.size());
        assertEquals(3, ((List<?>) w.get(0)).size());
        assertEquals((float) net.layer(0).weight(2, 1), ((Json.Num) ((List<?>) w.get(2)).get(1)).floatValue());
    }

    @Test
    void missingFileIsReported() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Network.load(dir.resolve("nope.json")));
        assertTrue(e.getMessage().contains("nope.json"));
    }

    @Test
    void damagedFilesGiveOneClearMessage() throws IOException {
        String good = ModelFile.toJson(sample(Precision.FLOAT32));
        for (int cut = 1; cut < good.length(); cut += 7) { // wherever a file is cut, the message says it may be truncated
            assertRefused(good.substring(0, cut), "truncated");
        }
        assertRefused(good.replace("\"version\": 1", "\"version\": 7"), "newer");
        assertRefused(good.replace("\"format\": \"backprop-model\"", "\"format\": \"onnx\""), "not a backprop model file");
        assertRefused(good.replace("leaky_relu", "leaky_rleu"), "did you mean 'leaky_relu'");
        assertRefused(good.replace("exponential", "exponental"), "unknown cost");
        assertRefused(good.replaceFirst("\"W\": \\[\n        \\[[-0-9.E]+, ", "\"W\": [\n        ["),
                "W row 0 has 2 numbers but the layer has 3 inputs");
        assertRefused(good.replaceFirst("\"W\": \\[\n        \\[[-0-9.E]+", "\"W\": [\n        [1e999"), "out of range");
        assertRefused(good.replace("\"frozen\": true", "\"frozen\": true, \"dropout\": 0.5"), "unknown member \"dropout\"");
        assertRefused(good.replace("\"inputs\": 4,", "\"inputs\": 5,"), "takes 5 inputs but the layer below gives 4");
        assertRefused("{}", "not a backprop model file");
        // huge declared sizes are checked against what the file holds before anything is allocated
        assertRefused("{\"format\": \"backprop-model\", \"version\": 1, \"precision\": \"float32\", \"inputs\": 46341,"
                + " \"cost\": {\"name\": \"quadratic\"}, \"layers\": [{\"inputs\": 46341, \"outputs\": 46341,"
                + " \"activation\": {\"name\": \"identity\"}, \"W\": [], \"b\": []}]}", "\"W\" has 0 rows but the layer has 46341 outputs");
        assertRefused("[1, 2, 3]", "must be a JSON object");
        Path bin = dir.resolve("binary.json");
        Files.write(bin, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2});
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Network.load(bin));
        assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
    }

    private void assertRefused(String text, String expected) throws IOException {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Network.load(f));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(f.toString()), "the message names the file: " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
    }

    @Test
    void aFailedSaveLeavesThePreviousFileIntact() throws IOException {
        Path f = dir.resolve("model.json");
        Network net = sample(Precision.FLOAT32);
        net.save(f);
        byte[] before = Files.readAllBytes(f);
        net.parameters().set(5, Double.NaN);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.save(f));
        assertTrue(e.getMessage().contains("non-finite"));
        assertArrayEquals(before, Files.readAllBytes(f));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList(), "no temporary files are left behind");
        }
    }

    @Test
    void atomicWriteReplacesWholeFiles() throws IOException {
        Path f = dir.resolve("x.bin");
        AtomicFiles.write(f, "old content that is long".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(f, "new".getBytes(StandardCharsets.UTF_8));
        assertEquals("new", Files.readString(f));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(dir.resolve("no/such/dir/f"), new byte[1]));
        assertTrue(e.getMessage().contains("does not exist"));
    }
}
