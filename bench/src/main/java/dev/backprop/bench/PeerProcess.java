package dev.backprop.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a peer's script (Debian's Python with scikit-learn, PyTorch, scipy) and turns every way it can fail into one line. */
final class PeerProcess {
    private PeerProcess() {
    }

    /**
     * Starts {@code pb} with OPENBLAS_L2_SIZE unset and OPENBLAS_CORETYPE set to {@code blasCore} (unset when null: these
     * machines export values that force slower kernels; see the platform notes), waits for it (at most an hour) and
     * returns normally when it exits with 0. Otherwise throws with the last line of {@code log} (where the process's
     * errors go) and {@code hint} when a Python module was missing.
     */
    static void run(ProcessBuilder pb, String blasCore, Path log, String who, String hint, String python) throws BenchmarkException {
        pb.environment().remove("OPENBLAS_CORETYPE");
        pb.environment().remove("OPENBLAS_L2_SIZE");
        if (blasCore != null) {
            pb.environment().put("OPENBLAS_CORETYPE", blasCore);
        }
        try {
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new BenchmarkException(who + " ran for over an hour; stopped");
            }
            if (p.exitValue() != 0) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                String last = lines.isEmpty() ? "(no output)" : lines.getLast();
                boolean missing = lines.stream().anyMatch(l -> l.contains("ModuleNotFoundError") || l.contains("No module named"));
                throw new BenchmarkException(who + " failed (exit " + p.exitValue() + "): " + last + "; " + (missing ? hint : "the output: " + log));
            }
        } catch (IOException e) {
            throw new BenchmarkException("cannot run " + python + " (" + e.getMessage() + "); " + hint);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchmarkException("interrupted while " + who + " ran");
        }
    }
}
