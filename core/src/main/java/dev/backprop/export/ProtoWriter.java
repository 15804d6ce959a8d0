package dev.backprop.export;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Encodes one protocol-buffers message, field by field, in the binary wire format
 * (<a href="https://protobuf.dev/programming-guides/encoding/">protobuf.dev/programming-guides/encoding</a>).
 * Only what an ONNX model needs: varints (wire type 0) for integers and enums, 32-bit little-endian words (wire
 * type 5) for floats, and length-delimited fields (wire type 2) for strings, bytes, nested messages and packed
 * repeated scalars. A field is written as its key, (number &lt;&lt; 3) | wire type, as a varint, then its value.
 * Fields are written in the order the methods are called, which any conforming parser accepts.
 */
public final class ProtoWriter {
    private static final int VARINT = 0;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** An int32, int64, bool or enum field, as a varint (negative values take ten bytes, as protobuf requires). */
    public ProtoWriter int64(int field, long value) {
        key(field, VARINT);
        varint(value);
        return this;
    }

    /** A float field: the IEEE 754 single-precision bits, little-endian. */
    public ProtoWriter float32(int field, float value) {
        key(field, FIXED32);
        fixed32(Float.floatToRawIntBits(value));
        return this;
    }

    /** A string field, UTF-8. */
    public ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A bytes field. */
    public ProtoWriter bytes(int field, byte[] value) {
        key(field, LENGTH_DELIMITED);
        varint(value.length);
        out.writeBytes(value);
        return this;
    }

    /** An embedded message field. */
    public ProtoWriter message(int field, ProtoWriter message) {
        return bytes(field, message.toByteArray());
    }

    /** A packed repeated int64 field (one length-delimited run of varints); nothing for an empty array. */
    public ProtoWriter packedInt64(int field, long... values) {
        if (values.length == 0) {
            return this;
        }
        ProtoWriter body = new ProtoWriter();
        for (long v : values) {
            body.varint(v);
        }
        return bytes(field, body.toByteArray());
    }

    /** The encoded message. */
    public byte[] toByteArray() {
        return out.toByteArray();
    }

    private void key(int field, int wireType) {
        if (field < 1) {
            throw new IllegalArgumentException("protobuf field numbers start at 1, got " + field);
        }
        varint(((long) field << 3) | wireType);
    }

    private void varint(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private void fixed32(int bits) {
        out.write(bits);
        out.write(bits >>> 8);
        out.write(bits >>> 16);
        out.write(bits >>> 24);
    }
}
