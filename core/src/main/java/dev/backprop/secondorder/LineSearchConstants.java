package dev.backprop.secondorder;

/** Validation of the Wolfe constants, shared by the methods that take them. */
final class LineSearchConstants {
    private LineSearchConstants() {
    }

    static void check(double c1, double c2, String method) {
        if (!(c1 > 0 && c1 < c2 && c2 < 1)) {
            throw new IllegalArgumentException(method + " needs Wolfe constants 0 < c1 < c2 < 1, got c1 = " + c1 + ", c2 = " + c2);
        }
    }
}
