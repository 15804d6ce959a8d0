package dev.backprop.kernel;

import dev.backprop.Precision;

/** A {@link Vec} of {@code float}s. Kernels read {@link #array()} from {@link #offset()} on. */
public final class FloatVec extends Vec {
    final float[] data;

    FloatVec(float[] data, int offset, int length) {
        super(offset, length);
        this.data = data;
    }

    /** Wraps {@code data} without copying. */
    public static FloatVec wrap(float[] data) {
        return new FloatVec(data, 0, data.length);
    }

    /** The backing array (shared, not a copy). */
    public float[] array() {
        return data;
    }

    @Override
    public Precision precision() {
        return Precision.FLOAT32;
    }

    @Override
    public FloatVec view(int from, int len) {
        checkRange(from, len);
        return new FloatVec(data, offset + from, len);
    }

    @Override
    public double get(int i) {
        checkRange(i, 1);
        return data[offset + i];
    }

    @Override
    public void set(int i, double value) {
        checkRange(i, 1);
        data[offset + i] = (float) value;
    }

    @Override
    public void copyFrom(double[] src, int srcPos, int dstPos, int len) {
        checkRange(dstPos, len);
        for (int i = 0; i < len; i++) {
            data[offset + dstPos + i] = (float) src[srcPos + i];
        }
    }

    @Override
    public void copyFrom(float[] src, int srcPos, int dstPos, int len) {
        checkRange(dstPos, len);
        System.arraycopy(src, srcPos, data, offset + dstPos, len);
    }

    @Override
    public void copyFromUnsignedBytes(byte[] src, int srcPos, int dstPos, int len) {
        checkRange(dstPos, len);
        java.util.Objects.checkFromIndexSize(srcPos, len, src.length);
        for (int i = 0; i < len; i++) {
            data[offset + dstPos + i] = src[srcPos + i] & 0xff;
        }
    }

    @Override
    public void copyFrom(Vec src, int srcPos, int dstPos, int len) {
        src.checkRange(srcPos, len);
        switch (src) {
            case FloatVec f -> copyFrom(f.data, f.offset + srcPos, dstPos, len);
            case DoubleVec d -> copyFrom(d.data, d.offset + srcPos, dstPos, len);
        }
    }

    @Override
    public void copyTo(double[] dst, int srcPos, int dstPos, int len) {
        checkRange(srcPos, len);
        for (int i = 0; i < len; i++) {
            dst[dstPos + i] = data[offset + srcPos + i];
        }
    }

    @Override
    public void copyTo(float[] dst, int srcPos, int dstPos, int len) {
        checkRange(srcPos, len);
        System.arraycopy(data, offset + srcPos, dst, dstPos, len);
    }

    @Override
    public boolean bitEquals(Vec other) {
        if (!(other instanceof FloatVec f) || f.length != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (Float.floatToRawIntBits(data[offset + i]) != Float.floatToRawIntBits(f.data[f.offset + i])) {
                return false;
            }
        }
        return true;
    }
}
