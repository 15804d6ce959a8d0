package dev.backprop.data;

import dev.backprop.Dataset;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the format of MNIST and its relatives (Fashion-MNIST, EMNIST, KMNIST), gzipped or not
 * (detected from the content). An IDX file is a magic number (two zero bytes, a type byte, the number of
 * dimensions), the dimensions as big-endian 32-bit integers, and the values row-major, big-endian.
 * A bad magic number, an unknown type, a truncated file or trailing bytes are reported, naming the file.
 */
public final class Idx {
    private Idx() {
    }

    /**
     * The contents of an IDX file. Unsigned bytes (type 0x08, the pixels of MNIST and its relatives) are kept as the
     * file's bytes, one byte a value; other types are decoded to floats.
     */
    public static final class Array {
        private final Path file;
        private final int type;
        private final int[] dims;
        private final byte[] unsignedBytes;
        private float[] values;

        Array(Path file, int type, int[] dims, float[] values, byte[] unsignedBytes) {
            this.file = file;
            this.type = type;
            this.dims = dims;
            this.values = values;
            this.unsignedBytes = unsignedBytes;
        }

        /** Where it was read from. */
        public Path file() {
            return file;
        }

        /** The IDX type code: 0x08 unsigned byte, 0x09 signed byte, 0x0B short, 0x0C int, 0x0D float, 0x0E double. */
        public int type() {
            return type;
        }

        /** The dimensions, the first being the number of items. */
        public int[] dims() {
            return dims.clone();
        }

        /**
         * Every value, row-major, as floats (bytes and shorts exactly). For an unsigned-byte file the floats are made
         * from its bytes on the first call (four times their memory); {@link #dataset} keeps the bytes instead.
         */
        public synchronized float[] values() {
            if (values == null) {
                values = new float[unsignedBytes.length];
                for (int i = 0; i < values.length; i++) {
                    values[i] = unsignedBytes[i] & 0xff;
                }
            }
            return values;
        }

        /** The values of an unsigned-byte file (type 0x08), row-major, as stored; null for other types. */
        public byte[] unsignedBytes() {
            return unsignedBytes;
        }

        /** Number of items (the first dimension). */
        public int items() {
            return dims[0];
        }

        /** Values per item (the product of the other dimensions). */
        public int itemSize() {
            int s = 1;
            for (int i = 1; i < dims.length; i++) {
                s *= dims[i];
            }
            return s;
        }
    }

    /** Reads an IDX file. */
    public static Array read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        boolean gz = b0 == 0x1f && b1 == 0x8b;
        long fileSize = Files.size(file);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(gz ? new GZIPInputStream(raw, 1 << 16) : raw, 1 << 16))) {
            return read(file, in, gz ? -1 : fileSize);
        } catch (ZipException e) {
            throw new DataFormatException(file, "the gzip data is corrupted (" + e.getMessage() + ")");
        } catch (EOFException e) {
            throw new DataFormatException(file, "is truncated: the gzip stream ends early");
        }
    }

    /** Reads the contents; {@code fileSize} is the size of an uncompressed file (checked before allocating), or -1. */
    private static Array read(Path file, DataInputStream in, long fileSize) throws IOException {
        byte[] magic = new byte[4];
        int got = in.readNBytes(magic, 0, 4);
        if (got < 4) {
            throw new DataFormatException(file, got == 0 ? "is empty" : "is truncated: it ends inside the magic number");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new DataFormatException(file, String.format("bad magic number 0x%02x%02x%02x%02x: not an IDX file", magic[0], magic[1],
                    magic[2], magic[3]));
        }
        int type = magic[2] & 0xff;
        int size = switch (type) {
            case 0x08, 0x09 -> 1;
            case 0x0B -> 2;
            case 0x0C, 0x0D -> 4;
            case 0x0E -> 8;
            default -> throw new DataFormatException(file, String.format("unknown IDX data type 0x%02x (bad magic number)", type));
        };
        int ndims = magic[3] & 0xff;
        if (ndims == 0) {
            throw new DataFormatException(file, "has 0 dimensions (bad magic number)");
        }
        int[] dims = new int[ndims];
        long count = 1;
        for (int i = 0; i < ndims; i++) {
            try {
                dims[i] = in.readInt();
            } catch (EOFException e) {
                throw new DataFormatException(file, "is truncated: it ends inside the dimensions");
            }
            if (dims[i] < 0) {
                throw new DataFormatException(file, "dimension " + i + " is negative (" + dims[i] + "): corrupted header");
            }
            count = dims[i] == 0 ? 0 : count > (Integer.MAX_VALUE - 16) / dims[i] ? Long.MAX_VALUE : count * dims[i];
        }
        if (count > Integer.MAX_VALUE - 16) {
            throw new DataFormatException(file, "its header " + Arrays.toString(dims) + " promises more values than one array can hold: corrupted?");
        }
        long header = 4 + 4L * ndims;
        if (fileSize >= 0 && fileSize < header + count * size) {
            throw new DataFormatException(file, "is truncated: the header promises " + Arrays.toString(dims) + " = " + count + " values ("
                    + count * size + " bytes) but the data ends after " + (fileSize - header) + " bytes");
        }
        if (type == 0x08) {
            return new Array(file, type, dims, null, readBytes(file, in, dims, count));
        }
        // grow as data arrives, so a lying header in a gzipped file cannot make us allocate gigabytes up front
        float[] values = new float[(int) Math.min(count, 1 << 20)];
        byte[] buf = new byte[1 << 16];
        long expected = count * size;
        long read = 0;
        int v = 0;
        while (read < expected) {
            int want = (int) Math.min(buf.length - buf.length % size, expected - read);
            int n = in.readNBytes(buf, 0, want);
            if (n < want && n % size != 0) {
                n -= n % size;
            }
            if (v + n / size > values.length) {
                values = Arrays.copyOf(values, (int) Math.min(count, Math.max((long) values.length * 2, v + n / size)));
            }
            for (int off = 0; off + size <= n; off += size) {
                values[v++] = decode(buf, off, type);
            }
            read += n;
            if (n < want) {
                throw new DataFormatException(file, "is truncated: the header promises " + Arrays.toString(dims) + " = " + count
                        + " values (" + expected + " bytes) but the data ends after " + read + " bytes");
            }
        }
        if (in.read() >= 0) {
            throw new DataFormatException(file, "has bytes after the " + count + " values its header declares " + Arrays.toString(dims));
        }
        return new Array(file, type, dims, values, null);
    }

    /** The {@code count} values of an unsigned-byte file, as its bytes, checked as {@link #read(Path)} says. */
    private static byte[] readBytes(Path file, DataInputStream in, int[] dims, long count) throws IOException {
        // grow as data arrives, so a lying header in a gzipped file cannot make us allocate gigabytes up front
        byte[] data = new byte[(int) Math.min(count, 1 << 20)];
        int v = 0;
        while (v < count) {
            if (v == data.length) {
                data = Arrays.copyOf(data, (int) Math.min(count, (long) data.length * 2));
            }
            int n = in.readNBytes(data, v, data.length - v);
            v += n;
            if (v < data.length) {
                throw new DataFormatException(file, "is truncated: the header promises " + Arrays.toString(dims) + " = " + count
                        + " values (" + count + " bytes) but the data ends after " + v + " bytes");
            }
        }
        if (in.read() >= 0) {
            throw new DataFormatException(file, "has bytes after the " + count + " values its header declares " + Arrays.toString(dims));
        }
        return data;
    }

    /**
     * A dataset of the items of {@code images} (one row of {@link Array#itemSize()} features each) and the given
     * targets ({@code targetWidth} per item): unsigned-byte images stay one byte a value
     * ({@link Dataset#wrapUnsignedBytes}), others are float32.
     */
    public static Dataset dataset(Array images, float[] targets, int targetWidth) {
        byte[] b = images.unsignedBytes();
        return b != null ? Dataset.wrapUnsignedBytes(b, targets, images.itemSize(), targetWidth)
                : Dataset.wrap(images.values(), targets, images.itemSize(), targetWidth);
    }

    private static float decode(byte[] b, int off, int type) {
        return switch (type) {
            case 0x08 -> b[off] & 0xff;
            case 0x09 -> b[off];
            case 0x0B -> (short) (((b[off] & 0xff) << 8) | (b[off + 1] & 0xff));
            case 0x0C -> (float) int32(b, off);
            case 0x0D -> Float.intBitsToFloat(int32(b, off));
            default -> (float) Double.longBitsToDouble(((long) int32(b, off) << 32) | (int32(b, off + 4) & 0xffffffffL));
        };
    }

    private static int int32(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    /**
     * A classification dataset from an images file (n × ...) and a labels file (n, integer labels in
     * [0, classes)): features are the raw values, targets one-hot.
     */
    public static Dataset classification(Array images, Array labels, int classes) throws DataFormatException {
        if (labels.dims().length != 1) {
            throw new DataFormatException(labels.file(), "is not a labels file: it has " + labels.dims().length + " dimensions, labels have 1");
        }
        if (images.items() != labels.items()) {
            throw new DataFormatException(labels.file(), "has " + labels.items() + " labels but " + images.file() + " has "
                    + images.items() + " items");
        }
        int n = images.items();
        if ((long) n * classes > Integer.MAX_VALUE - 16) {
            throw new DataFormatException(labels.file(), n + " items of " + classes + " classes are too many for one array");
        }
        float[] y = new float[n * classes];
        for (int i = 0; i < n; i++) {
            float l = labels.values()[i];
            if (l != Math.rint(l) || l < 0 || l >= classes) {
                throw new DataFormatException(labels.file(), "label " + l + " of item " + i + " is outside 0.." + (classes - 1));
            }
            y[i * classes + (int) l] = 1;
        }
        return dataset(images, y, classes);
    }

    /** Largest number of classes a labels file may name (its labels are class indices). */
    public static final int MAX_CLASSES = 100_000;

    /**
     * The number of classes in a labels file: its largest label plus one.
     *
     * @throws DataFormatException if a label is not a whole number in [0, {@link #MAX_CLASSES})
     */
    public static int classCount(Array labels) throws DataFormatException {
        float max = 0;
        float[] v = labels.values();
        for (int i = 0; i < v.length; i++) {
            if (!(v[i] >= 0 && v[i] < MAX_CLASSES && v[i] == Math.rint(v[i]))) {
                throw new DataFormatException(labels.file(), "label " + v[i] + " of item " + i + " is not a class index (a whole number from 0"
                        + " to " + (MAX_CLASSES - 1) + ")");
            }
            max = Math.max(max, v[i]);
        }
        return (int) max + 1;
    }
}
