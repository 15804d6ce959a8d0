package dev.backprop.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.Dataset;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX files of unsigned bytes are kept as bytes, and make datasets that store them so; other types are floats. */
class IdxTest {
    @TempDir
    Path dir;

    /** An IDX file: magic (0, 0, type, dims), big-endian dimensions, then the data bytes as given. */
    private static byte[] idx(int type, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(data).array();
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    private static byte[] pixels(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) (i * 53 + 250);
        }
        return p;
    }

    @Test
    void unsignedBytesAreKeptAsBytesPlainOrGzipped() throws IOException {
        byte[] px = pixels(4 * 2 * 3);
        for (boolean gz : new boolean[] {false, true}) {
            Path f = dir.resolve(gz ? "images.gz" : "images");
            byte[] raw = idx(0x08, new int[] {4, 2, 3}, px);
            Files.write(f, gz ? gzip(raw) : raw);
            Idx.Array a = Idx.read(f);
            assertEquals(0x08, a.type());
            assertEquals(4, a.items());
            assertEquals(6, a.itemSize());
            assertArrayEquals(px, a.unsignedBytes());
            float[] v = a.values();
            for (int i = 0; i < px.length; i++) {
                assertEquals(px[i] & 0xff, v[i], "value " + i);
            }
            assertEquals(250f, v[0]);
        }
    }

    @Test
    void otherTypesAreFloats() throws IOException {
        Path f = dir.resolve("shorts");
        Files.write(f, idx(0x0B, new int[] {2}, new byte[] {(byte) 0xff, (byte) 0xfe, 0x01, 0x00}));
        Idx.Array a = Idx.read(f);
        assertNull(a.unsignedBytes());
        assertArrayEquals(new float[] {-2, 256}, a.values());
    }

    @Test
    void imagesOfBytesMakeAByteDatasetEqualToTheFloatOne() throws IOException {
        byte[] px = pixels(5 * 4);
        Path images = dir.resolve("images");
        Path labels = dir.resolve("labels");
        Files.write(images, idx(0x08, new int[] {5, 2, 2}, px));
        Files.write(labels, idx(0x08, new int[] {5}, new byte[] {0, 2, 1, 2, 0}));
        Idx.Array a = Idx.read(images);
        Dataset d = Idx.classification(a, Idx.read(labels), 3);
        assertTrue(d.storesUnsignedBytes());
        Dataset floats = Dataset.wrap(a.values(), new float[] {1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 1, 0, 0}, 4, 3);
        assertEquals(floats.fingerprint(), d.fingerprint());
        assertEquals(2, d.label(3));
        assertArrayEquals(floats.featureRow(4), d.featureRow(4));
    }

    @Test
    void truncatedOrOverlongByteFilesAreRefusedNamingTheFile() throws IOException {
        byte[] whole = idx(0x08, new int[] {10, 2, 2}, pixels(40));
        Path cut = dir.resolve("cut");
        Files.write(cut, Arrays.copyOf(whole, whole.length - 7));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.read(cut));
        assertEquals(cut + ": is truncated: the header promises [10, 2, 2] = 40 values (40 bytes) but the data ends after 33 bytes",
                e.getMessage());
        Path cutGz = dir.resolve("cut.gz");
        Files.write(cutGz, gzip(Arrays.copyOf(whole, whole.length - 7)));
        e = assertThrows(DataFormatException.class, () -> Idx.read(cutGz));
        assertTrue(e.getMessage().startsWith(cutGz + ": is truncated"), e.getMessage());
        Path longer = dir.resolve("longer.gz");
        Files.write(longer, gzip(Arrays.copyOf(whole, whole.length + 1)));
        e = assertThrows(DataFormatException.class, () -> Idx.read(longer));
        assertEquals(longer + ": has bytes after the 40 values its header declares [10, 2, 2]", e.getMessage());
    }
}
