package dev.backprop.kernel;

import dev.backprop.Precision;

/**
 * A contiguous run of numbers in one precision: the storage every kernel works on.
 *
 * <p>A {@code Vec} is a window ({@code offset}, {@code length}) onto a backing array; {@link #view(int, int)}
 * makes a smaller window onto the same numbers without copying. A network's flat parameter vector is one
 * {@code Vec}; each layer's weights and biases are views of it. Matrices are stored row-major in a
 * {@code Vec}: element (r, c) of an R×C matrix is at index {@code r*C + c}.
 *
 * <p>The element accessors ({@link #get(int)}, {@link #set(int, double)}) are for tests, tools and small
 * bookkeeping; numeric work goes through {@link Kernels}.
 */
public abstract sealed class Vec permits FloatVec, DoubleVec {
    final int offset;
    final int length;

    Vec(int offset, int length) {
        this.offset = offset;
        this.length = length;
    }

    /** A new zero-filled vector of {@code n} numbers in the given precision. */
    public static Vec allocate(Precision precision, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("vector length must be >= 0, got " + n);
        }
        return precision == Precision.FLOAT32 ? new FloatVec(new float[n], 0, n) : new DoubleVec(new double[n], 0, n);
    }

    /** A new vector holding {@code values} converted to the given precision. */
    public static Vec of(Precision precision, double... values) {
        Vec v = allocate(precision, values.length);
        v.copyFrom(values, 0, 0, values.length);
        return v;
    }

    /** The precision of the numbers. */
    public abstract Precision precision();

    /** Number of elements in this window. */
    public final int length() {
        return length;
    }

    /** Where this window starts in the backing array. */
    public final int offset() {
        return offset;
    }

    /**
     * Copies {@code len} elements from src's window at {@code srcPos} to dst's at {@code dstPos} (the same
     * precision; the caller has checked the ranges).
     */
    static void arraycopy(Vec src, int srcPos, Vec dst, int dstPos, int len) {
        if (src instanceof FloatVec f && dst instanceof FloatVec g) {
            System.arraycopy(f.data, f.offset + srcPos, g.data, g.offset + dstPos, len);
        } else if (src instanceof DoubleVec f && dst instanceof DoubleVec g) {
            System.arraycopy(f.data, f.offset + srcPos, g.data, g.offset + dstPos, len);
        } else {
            throw new IllegalArgumentException("copy from " + src.precision() + " to " + dst.precision());
        }
    }

    /** A window of {@code len} elements starting at {@code from}, sharing storage with this one. */
    public abstract Vec view(int from, int len);

    /** Element {@code i} of this window, as a double. */
    public abstract double get(int i);

    /** Sets element {@code i} of this window (rounded to this vector's precision). */
    public abstract void set(int i, double value);

    /** Copies {@code len} doubles from {@code src[srcPos..]} into this window at {@code dstPos}. */
    public abstract void copyFrom(double[] src, int srcPos, int dstPos, int len);

    /** Copies {@code len} floats from {@code src[srcPos..]} into this window at {@code dstPos}. */
    public abstract void copyFrom(float[] src, int srcPos, int dstPos, int len);

    /**
     * Copies {@code len} bytes from {@code src[srcPos..]}, each read as an unsigned integer 0..255 (exact in either
     * precision), into this window at {@code dstPos}: 8-bit stored features, such as MNIST's pixels, widened into
     * a batch. {@link Kernels#widenUnsignedBytes} is the same copy, vectorised where a backend can.
     */
    public abstract void copyFromUnsignedBytes(byte[] src, int srcPos, int dstPos, int len);

    /** Copies {@code len} elements of {@code src} (any precision) starting at {@code srcPos} into this window at {@code dstPos}. */
    public abstract void copyFrom(Vec src, int srcPos, int dstPos, int len);

    /** Copies {@code len} elements starting at {@code srcPos} into {@code dst[dstPos..]}. */
    public abstract void copyTo(double[] dst, int srcPos, int dstPos, int len);

    /** Copies {@code len} elements starting at {@code srcPos} into {@code dst[dstPos..]} (float64 values rounded to float). */
    public abstract void copyTo(float[] dst, int srcPos, int dstPos, int len);

    /** A new array holding this window's elements as doubles. */
    public final double[] toDoubleArray() {
        double[] out = new double[length];
        copyTo(out, 0, 0, length);
        return out;
    }

    /** A fresh vector with the same elements in {@code target} precision (a copy even when the precision is the same). */
    public final Vec toPrecision(Precision target) {
        Vec out = allocate(target, length);
        out.copyFrom(this, 0, 0, length);
        return out;
    }

    /** True if this window and {@code other} hold the same bits in the same precision. */
    public abstract boolean bitEquals(Vec other);

    final void checkRange(int from, int len) {
        if (from < 0 || len < 0 || from > length - len) {
            throw new IndexOutOfBoundsException("range [" + from + ", " + from + "+" + len + ") outside vector of length " + length);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(precision().id()).append('[');
        int shown = Math.min(length, 8);
        for (int i = 0; i < shown; i++) {
            sb.append(i == 0 ? "" : ", ").append(get(i));
        }
        return sb.append(length > shown ? ", ... (" + length + ")]" : "]").toString();
    }
}
