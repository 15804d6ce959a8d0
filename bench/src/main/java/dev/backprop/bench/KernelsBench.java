package dev.backprop.bench;

import dev.backprop.Precision;
import dev.backprop.bench.jmh.KernelBenchmark;
import dev.backprop.kernel.Kernels;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code bench/run kernels}: the JMH benchmark of every kernel case ({@link KernelBenchmark}), scalar reference
 * against the backend {@link Kernels#preferred} chose, each in its own forked JVM. Prints µs per call for both,
 * the speed-up, the backend's GFLOP/s and, for float32, its fraction of this core's FMA peak measured in the same
 * run ({@code dev.backprop.simd.Peak}).
 */
final class KernelsBench {
    private KernelsBench() {
    }

    /**
     * Options: the cases to run (default all), a quick mode with fewer iterations, a JSON output file, and the backend
     * to measure against the scalar reference (null: the one {@link Kernels#preferred} chooses; {@code vector} or
     * {@code blas} to name one, passed to the forks as {@code -Dbackprop.kernels}).
     */
    record Options(List<String> cases, boolean quick, Path json, String backend) {
        Options {
            if (backend != null && !backend.matches("[a-z][a-z0-9_-]*")) {
                throw new IllegalArgumentException("--backend takes a backend's name such as vector or blas, got '" + backend + "'");
            }
            for (String c : cases) {
                if (!KernelBenchmark.CASES.containsKey(c)) {
                    throw new IllegalArgumentException("unknown case '" + c + "' for kernels; known: " + String.join(", ", KernelBenchmark.CASES.keySet()));
                }
            }
            cases = List.copyOf(cases);
        }

        static Options parse(String[] args) {
            List<String> cases = new ArrayList<>(KernelBenchmark.CASES.keySet());
            boolean quick = false;
            Path json = null;
            String backend = null;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> quick = true;
                    case "--cases", "--json", "--backend" -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(args[i] + " needs a value");
                        }
                        String v = args[++i];
                        if (args[i - 1].equals("--cases")) {
                            cases = List.of(v.split(","));
                        } else if (args[i - 1].equals("--backend")) {
                            backend = v;
                        } else {
                            json = Path.of(v);
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "' for kernels; see bench/run --help");
                }
            }
            return new Options(cases, quick, json, backend);
        }
    }

    /** One case's result: µs per call of the scalar reference and of the preferred backend. */
    record Row(KernelBenchmark.Case c, double scalarMicros, double preferredMicros) {
        double speedup() {
            return scalarMicros / preferredMicros;
        }

        double gflops() {
            return c.flops() / preferredMicros / 1e3;
        }
    }

    static int run(Options options, PrintStream out) throws BenchmarkException {
        String backend = options.backend() == null ? Kernels.preferred(Precision.FLOAT32).name() : options.backend() + "-float32";
        out.println("kernels: " + Kernels.selection());
        double peak = peak();
        out.printf(Locale.ROOT, "this core's float32 FMA peak, measured now: %s%n", Double.isNaN(peak) ? "n/a (no Vector API)" : String.format(Locale.ROOT, "%.1f GFLOP/s", peak));
        out.printf(Locale.ROOT, "JMH, one fork per case and backend, %s%n%n", options.quick() ? "quick (4 x 400 ms warm-up, 3 x 200 ms measured)" : "6 x 500 ms warm-up, 5 x 400 ms measured");
        out.printf(Locale.ROOT, "%-26s %12s %12s %9s %9s %8s%n", "case", "scalar us", backend + " us", "speed-up", "GFLOP/s", "of peak");
        List<Row> rows = new ArrayList<>();
        Path log;
        try {
            log = Files.createTempFile("backprop-jmh", ".log");
        } catch (IOException e) {
            throw new BenchmarkException("cannot create a log file for JMH: " + e.getMessage());
        }
        for (String name : options.cases()) {
            KernelBenchmark.Case c = KernelBenchmark.CASES.get(name);
            double scalar = measure(name, "scalar", options.quick(), log, null);
            double preferred = measure(name, "preferred", options.quick(), log, options.backend());
            Row r = new Row(c, scalar, preferred);
            rows.add(r);
            String ofPeak = c.precision().equals("f32") && c.op().startsWith("gemm") && !Double.isNaN(peak)
                    ? String.format(Locale.ROOT, "%7.0f%%", 100 * r.gflops() / peak) : "";
            out.printf(Locale.ROOT, "%-26s %12.2f %12.2f %8.1fx %9.1f %8s%n", name, scalar, preferred, r.speedup(), r.gflops(), ofPeak);
        }
        if (options.json() != null) {
            writeJson(options.json(), backend, peak, rows);
        }
        return 0;
    }

    private static double peak() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return Double.NaN;
        }
        return dev.backprop.simd.Peak.float32Gflops();
    }

    private static double measure(String kase, String kernels, boolean quick, Path log, String backend) throws BenchmarkException {
        OptionsBuilder b = new OptionsBuilder();
        b.include(KernelBenchmark.class.getName() + ".run").param("kase", kase).param("kernels", kernels).verbosity(VerboseMode.SILENT)
                .output(log.toString()); // the forks' own chatter (JVM warnings) goes to a log, not into the table
        if (backend != null) { // replaces the @Fork arguments, so they are repeated
            b.jvmArgsAppend("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-XX:+UseParallelGC",
                    "--sun-misc-unsafe-memory-access=allow", "-Dbackprop.kernels=" + backend);
        }
        if (quick) {
            b.warmupIterations(4).warmupTime(TimeValue.milliseconds(400)).measurementIterations(3).measurementTime(TimeValue.milliseconds(200));
        }
        try {
            Collection<RunResult> results = new Runner(b.build()).run();
            if (results.isEmpty()) {
                throw new BenchmarkException("JMH returned no result for " + kase + " (" + kernels + ")");
            }
            return results.iterator().next().getPrimaryResult().getScore();
        } catch (RunnerException e) {
            throw new BenchmarkException("JMH failed on " + kase + " (" + kernels + "): " + e.getMessage());
        }
    }

    private static void writeJson(Path file, String backend, double peak, List<Row> rows) throws BenchmarkException {
        StringBuilder sb = new StringBuilder("{\"benchmark\": \"kernels\", \"backend\": \"").append(backend).append("\", \"selection\": \"")
                .append(Kernels.selection().replace("\"", "'")).append("\", \"float32_peak_gflops\": ").append(Double.isNaN(peak) ? "null" : peak)
                .append(", \"rows\": [");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT,
                    "{\"case\": \"%s\", \"scalar_us\": %.4f, \"preferred_us\": %.4f, \"speedup\": %.3f, \"gflops\": %.3f}", r.c().name(),
                    r.scalarMicros(), r.preferredMicros(), r.speedup(), r.gflops()));
        }
        sb.append("]}\n");
        try {
            Files.writeString(file, sb.toString());
        } catch (IOException e) {
            throw new BenchmarkException("cannot write " + file + ": " + e.getMessage());
        }
    }
}
