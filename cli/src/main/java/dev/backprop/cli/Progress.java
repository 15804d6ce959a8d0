package dev.backprop.cli;

import dev.backprop.train.Diagnosis;
import dev.backprop.train.EpochRecord;
import dev.backprop.train.TrainingListener;
import dev.backprop.util.Numbers;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows training progress: on a terminal, a bar redrawn in place (epoch, batch, loss, throughput, time left);
 * otherwise one plain line per epoch; nothing with {@code --quiet} (recoveries are still reported).
 */
final class Progress implements TrainingListener {
    private final PrintWriter err;
    private final boolean terminal;
    private final boolean quiet;
    private final int maxEpochs;
    private final int batchSize;
    private final long start = System.nanoTime();
    private long epochStart = System.nanoTime();
    private long lastDraw;
    private double runningLoss = Double.NaN;
    private int lastWidth;

    Progress(PrintWriter err, boolean terminal, boolean quiet, int maxEpochs, int batchSize) {
        this.err = err;
        this.terminal = terminal;
        this.quiet = quiet;
        this.maxEpochs = maxEpochs;
        this.batchSize = batchSize;
    }

    /**
     * Whether standard error is an interactive terminal: as the {@code ./backprop} script found it
     * ({@code -Dbackprop.stderr.tty}), else as the JVM sees its console.
     */
    static boolean stderrIsTerminal() {
        String told = System.getProperty("backprop.stderr.tty");
        if (told != null) {
            return Boolean.parseBoolean(told) && !"dumb".equals(System.getenv("TERM"));
        }
        java.io.Console c = System.console();
        return c != null && c.isTerminal() && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
    }

    @Override
    public void onStep(int epoch, int batch, int batches, double loss) {
        if (batch == 1) {
            epochStart = System.nanoTime();
            runningLoss = Double.NaN;
        }
        if (Double.isFinite(loss)) {
            runningLoss = Double.isNaN(runningLoss) ? loss : 0.95 * runningLoss + 0.05 * loss;
        }
        if (quiet || !terminal) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < 100_000_000L && batch != batches) {
            return;
        }
        lastDraw = now;
        double epochSeconds = (now - epochStart) / 1e9;
        double rate = batch * (double) batchSize / Math.max(epochSeconds, 1e-9);
        double perBatch = epochSeconds / batch;
        double left = perBatch * (batches - batch) + perBatch * batches * (maxEpochs - epoch);
        int width = 24;
        int filled = (int) Math.round(width * (double) batch / batches);
        String bar = "=".repeat(Math.max(0, filled - 1)) + (filled > 0 ? ">" : "") + " ".repeat(width - filled);
        String speed = epochSeconds < 0.2 ? "-" : Numbers.format(rate);
        String line = String.format(Locale.ROOT, "epoch %d/%d [%s] %d/%d  loss %s  %s ex/s  elapsed %s  left ~%s", epoch, maxEpochs, bar,
                batch, batches, Numbers.format(runningLoss), speed, duration((now - start) / 1e9), duration(left));
        draw(line);
    }

    @Override
    public void onEpoch(EpochRecord r) {
        if (quiet) {
            return;
        }
        String line = String.format(Locale.ROOT, "%s  (%s)", r.summary(), duration(r.seconds()));
        if (terminal) {
            draw(line);
            err.println();
            lastWidth = 0;
        } else {
            err.println(line);
        }
        err.flush();
    }

    @Override
    public void onRecovery(Diagnosis diagnosis, String message) {
        if (terminal && lastWidth > 0) {
            err.println();
            lastWidth = 0;
        }
        err.println("recovered: " + message);
        err.flush();
    }

    private void draw(String line) {
        String padded = line.length() < lastWidth ? line + " ".repeat(lastWidth - line.length()) : line;
        err.print("\r" + padded);
        err.flush();
        lastWidth = line.length();
    }

    /** 0.4s, 12s, 3m05s, 1h02m. */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        if (seconds < 10) {
            return String.format(Locale.ROOT, "%.1fs", seconds);
        }
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
