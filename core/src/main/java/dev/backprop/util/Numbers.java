package dev.backprop.util;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** Number formatting for messages. */
public final class Numbers {
    private Numbers() {
    }

    /** Three significant digits, without trailing zeros: 100, 0.001, 12.3, 3.2e+06, NaN, +inf. */
    public static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+inf" : "-inf";
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e6) {
            return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
