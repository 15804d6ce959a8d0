package dev.backprop;

/**
 * The floating-point type a network stores its parameters in and computes with.
 *
 * <p>{@link #FLOAT32} is the default: it halves memory and doubles arithmetic throughput. {@link #FLOAT64}
 * is there for the same network when the numbers must be exact to more digits: gradient checks by
 * central differences and second-order methods need it. {@link Network#toPrecision(Precision)} converts.
 */
public enum Precision {
    /** IEEE 754 binary32 ({@code float}), about 7 significant digits. */
    FLOAT32("float32"),
    /** IEEE 754 binary64 ({@code double}), about 16 significant digits. */
    FLOAT64("float64");

    private final String id;

    Precision(String id) {
        this.id = id;
    }

    /** The name used in model files and on the command line: {@code float32} or {@code float64}. */
    public String id() {
        return id;
    }

    /** Parses {@code float32} / {@code float64} (also {@code f32}, {@code f64}, {@code float}, {@code double}). */
    public static Precision parse(String s) {
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "float32", "f32", "float", "single" -> FLOAT32;
            case "float64", "f64", "double" -> FLOAT64;
            default -> throw new IllegalArgumentException(
                    "unknown precision '" + s + "': use float32 or float64");
        };
    }
}
