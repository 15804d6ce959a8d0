package dev.backprop.cli;

import dev.backprop.train.EpochRecord;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The pictures of a run: loss (and a metric) per epoch, and a confusion matrix. */
final class Charts {
    private Charts() {
    }

    static final String TRAIN = "#1f77b4";
    static final String VALIDATION = "#d62728";
    private static final String GRID = "#dddddd";
    private static final String INK = "#222222";

    /**
     * Training and validation loss per epoch (log scale when the loss spans more than a factor of 30), with a
     * marker at {@code bestEpoch} when the run kept that epoch's weights (0: none).
     */
    static void loss(Canvas c, List<EpochRecord> history, String title, int bestEpoch) {
        series(c, history, title, "loss J", EpochRecord::loss, EpochRecord::validationLoss, true, bestEpoch);
    }

    /** Training and validation accuracy per epoch. */
    static void accuracy(Canvas c, List<EpochRecord> history, String title, int bestEpoch) {
        series(c, history, title, "accuracy", EpochRecord::accuracy, EpochRecord::validationAccuracy, false, bestEpoch);
    }

    private static void series(Canvas c, List<EpochRecord> history, String title, String yLabel, ToDoubleFunction<EpochRecord> train,
                               ToDoubleFunction<EpochRecord> validation, boolean allowLog, int marker) {
        double left = 80;
        double right = c.width() - 20;
        double top = 50;
        double bottom = c.height() - 55;
        c.text(c.width() / 2.0, 28, title, 16, INK, "middle", true);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (EpochRecord r : history) {
            for (double v : new double[] {train.applyAsDouble(r), validation.applyAsDouble(r)}) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (history.isEmpty() || lo == Double.POSITIVE_INFINITY) {
            c.text(c.width() / 2.0, c.height() / 2.0, "no completed epochs", 14, INK, "middle", false);
            return;
        }
        boolean log = allowLog && lo > 0 && hi / lo > 30;
        if (hi == lo) {
            hi = lo + Math.max(1e-12, Math.abs(lo) * 0.1);
            lo = lo - Math.max(1e-12, Math.abs(lo) * 0.1);
        }
        double fLo = log ? Math.log10(lo) : lo;
        double fHi = log ? Math.log10(hi) : hi;
        double pad = (fHi - fLo) * 0.05;
        fLo -= pad;
        fHi += pad;
        int n = history.size();
        int firstEpoch = history.getFirst().epoch();
        int lastEpoch = history.getLast().epoch();
        double span = Math.max(1, lastEpoch - firstEpoch);
        // grid and y ticks
        for (int i = 0; i <= 5; i++) {
            double f = fLo + (fHi - fLo) * i / 5;
            double y = bottom - (bottom - top) * i / 5;
            c.line(left, y, right, y, GRID, 1, false);
            c.text(left - 8, y + 4, tick(log ? Math.pow(10, f) : f), 11, INK, "end", false);
        }
        int ticks = Math.min(10, (int) span);
        for (int i = 0; i <= ticks; i++) {
            int e = firstEpoch + (int) Math.round(span * i / Math.max(1, ticks));
            double x = left + (right - left) * (e - firstEpoch) / span;
            c.line(x, bottom, x, bottom + 5, INK, 1, false);
            c.text(x, bottom + 20, Integer.toString(e), 11, INK, "middle", false);
        }
        c.line(left, bottom, right, bottom, INK, 1, false);
        c.line(left, top, left, bottom, INK, 1, false);
        c.text((left + right) / 2, c.height() - 12, "epoch", 12, INK, "middle", false);
        c.text(left, top - 10, yLabel + (log ? " (log scale)" : ""), 12, INK, "start", false);
        if (marker > 0 && marker >= firstEpoch && marker <= lastEpoch) {
            double x = left + (right - left) * (marker - firstEpoch) / span;
            c.line(x, top, x, bottom, "#888888", 1, true);
            c.text(x + 4, bottom - 6, "best (kept)", 11, "#555555", "start", false);
        }
        boolean hasValidation = false;
        for (int which = 0; which < 2; which++) {
            ToDoubleFunction<EpochRecord> f = which == 0 ? train : validation;
            int count = 0;
            double[] xs = new double[n];
            double[] ys = new double[n];
            for (EpochRecord r : history) {
                double v = f.applyAsDouble(r);
                if (!Double.isFinite(v) || (log && v <= 0)) {
                    continue;
                }
                double fv = log ? Math.log10(v) : v;
                xs[count] = left + (right - left) * (r.epoch() - firstEpoch) / span;
                ys[count] = bottom - (bottom - top) * (fv - fLo) / (fHi - fLo);
                count++;
            }
            if (count > 0) {
                c.polyline(java.util.Arrays.copyOf(xs, count), java.util.Arrays.copyOf(ys, count), which == 0 ? TRAIN : VALIDATION, 2,
                        which == 1);
                hasValidation |= which == 1;
            }
        }
        double lx = right - 150;
        c.line(lx, top + 10, lx + 25, top + 10, TRAIN, 2, false);
        c.text(lx + 32, top + 14, "training", 12, INK, "start", false);
        if (hasValidation) {
            c.line(lx, top + 28, lx + 25, top + 28, VALIDATION, 2, true);
            c.text(lx + 32, top + 32, "validation", 12, INK, "start", false);
        }
    }

    /** A confusion matrix: rows are true classes, columns predicted; cells shaded by the row's share. */
    static void confusion(Canvas c, int[][] m, List<String> classes, String title) {
        int k = classes.size();
        double labelW = 130;
        double top = 95;
        double size = Math.min((c.width() - labelW - 20) / k, (c.height() - top - 20) / k);
        c.text(c.width() / 2.0, 28, title, 16, INK, "middle", true);
        c.text(labelW + size * k / 2, 55, "predicted", 12, INK, "middle", false);
        c.text(10, top - 8, "true", 12, INK, "start", false);
        for (int j = 0; j < k; j++) {
            c.text(labelW + size * (j + 0.5), top - 8, abbreviate(classes.get(j), size), 10, INK, "middle", false);
        }
        for (int i = 0; i < k; i++) {
            long rowSum = 0;
            for (int v : m[i]) {
                rowSum += v;
            }
            c.text(labelW - 6, top + size * (i + 0.5) + 4, abbreviate(classes.get(i), labelW), 11, INK, "end", false);
            for (int j = 0; j < k; j++) {
                double share = rowSum == 0 ? 0 : (double) m[i][j] / rowSum;
                String fill = shade(share, i == j);
                c.rect(labelW + size * j, top + size * i, size, size, fill, "#ffffff");
                if (size >= 18) {
                    c.text(labelW + size * (j + 0.5), top + size * (i + 0.5) + 4, Integer.toString(m[i][j]), Math.min(12, size / 3),
                            share > 0.5 ? "#ffffff" : INK, "middle", false);
                }
            }
        }
    }

    private static String shade(double share, boolean diagonal) {
        int base = (int) Math.round(255 - 200 * Math.sqrt(share));
        return diagonal ? String.format(Locale.ROOT, "#%02x%02x%02x", base, base, 255) : String.format(Locale.ROOT, "#%02x%02x%02x", 255, base, base);
    }

    private static String abbreviate(String s, double room) {
        int max = Math.max(3, (int) (room / 7));
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    static String tick(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        return a >= 1e4 || a < 1e-3 ? String.format(Locale.ROOT, "%.1e", v) : String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 1 ? "%.2f" : "%.3f", v);
    }
}
