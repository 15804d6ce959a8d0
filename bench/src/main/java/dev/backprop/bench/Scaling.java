package dev.backprop.bench;

import dev.backprop.io.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * W1's thread scaling, measured the way this noisy machine allows: pairs of fresh processes, each pair one run of
 * {@code w1 --no-peers --threads 1} and, right after it, one with more threads, so that both runs of a pair see
 * the same stretch of the machine. Each run reports its median epoch; the report gives each pair's speed-up
 * (one thread's seconds over the other's), the median over the pairs, and the step's fraction of the FMA peak of
 * the threads that ran it ({@link W1.Efficiency}).
 */
final class Scaling {
    private Scaling() {
    }

    /**
     * @param pairs   pairs of runs (default 4)
     * @param epochs  epochs per run (default 10)
     * @param threads the thread count set against one (default: the machine's cores, at least 2)
     * @param data    the Fashion-MNIST folder, as for {@code w1}
     */
    record Options(int pairs, int epochs, int threads, Path data) {
        Options {
            if (pairs < 1) {
                throw new IllegalArgumentException("--pairs must be at least 1, got " + pairs);
            }
            if (epochs < 1) {
                throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
            }
            if (threads < 2) {
                throw new IllegalArgumentException("--threads must be at least 2 (it is set against one thread), got " + threads);
            }
        }

        static Options parse(String[] args) {
            int pairs = 4;
            int epochs = 10;
            int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
            Path data = W1.DEFAULT_DATA;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (i + 1 >= args.length || !a.startsWith("--")) {
                    throw new IllegalArgumentException("unknown option '" + a + "' for scaling; known: --pairs N, --epochs N, --threads N,"
                            + " --data DIR");
                }
                String v = args[++i];
                switch (a) {
                    case "--pairs" -> pairs = Bench.integer(a, v);
                    case "--epochs" -> epochs = Bench.integer(a, v);
                    case "--threads" -> threads = Bench.integer(a, v);
                    case "--data" -> data = Path.of(v);
                    default -> throw new IllegalArgumentException("unknown option '" + a + "' for scaling; known: --pairs N, --epochs N,"
                            + " --threads N, --data DIR");
                }
            }
            return new Options(pairs, epochs, threads, data);
        }
    }

    /**
     * One run's figures: its median epoch, its step's fraction of the peak and the cores' round trip before and after its
     * training ({@link Cores#roundTripNanos}; NaN where not reported).
     */
    record Run(double medianSeconds, double fractionOfPeak, double tripBeforeNs, double tripAfterNs) {
    }

    static int run(Options options, PrintStream out) throws BenchmarkException {
        W1.files(options.data()); // a missing dataset fails here, with its one-line message, not in every child
        out.printf(Locale.ROOT, "W1 thread scaling: %d pair%s of fresh processes (w1 --no-peers, %d epoch%s), 1 thread then %d, one right after"
                + " the other%n", options.pairs(), options.pairs() == 1 ? "" : "s", options.epochs(), options.epochs() == 1 ? "" : "s",
                options.threads());
        out.printf(Locale.ROOT, "%-5s %16s %17s %9s %24s %26s%n", "pair", "1 thread s/epoch", options.threads() + " threads s/epoch", "speed-up",
                options.threads() + " threads: of FMA peak", "core round trip ns, before/after");
        double[] ratios = new double[options.pairs()];
        double[] one = new double[options.pairs()];
        double[] many = new double[options.pairs()];
        for (int p = 0; p < options.pairs(); p++) {
            Run a = child(options, 1);
            Run b = child(options, options.threads());
            one[p] = a.medianSeconds();
            many[p] = b.medianSeconds();
            ratios[p] = one[p] / many[p];
            out.printf(Locale.ROOT, "%-5d %16.3f %17.3f %8.2fx %24s %26s%n", p + 1, one[p], many[p], ratios[p],
                    Double.isNaN(b.fractionOfPeak()) ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * b.fractionOfPeak()),
                    Double.isNaN(b.tripBeforeNs()) ? "-" : String.format(Locale.ROOT, "%.0f / %.0f", b.tripBeforeNs(), b.tripAfterNs()));
        }
        out.printf(Locale.ROOT, "median speed-up %.2fx (%.2f-%.2fx over %d pair%s); median epochs: 1 thread %.3f s, %d threads %.3f s%n",
                Stats.median(ratios), Arrays.stream(ratios).min().orElseThrow(), Arrays.stream(ratios).max().orElseThrow(), options.pairs(),
                options.pairs() == 1 ? "" : "s", Stats.median(one), options.threads(), Stats.median(many));
        return 0;
    }

    /** One fresh process of {@code w1 --no-peers} on {@code threads} threads, with this JVM's options and class path. */
    static Run child(Options options, int threads) throws BenchmarkException {
        Path json;
        Path log;
        try {
            json = Files.createTempFile("backprop-scaling", ".json");
            log = Files.createTempFile("backprop-scaling", ".log");
        } catch (IOException e) {
            throw new BenchmarkException("cannot create a temporary file: " + e.getMessage());
        }
        try {
            List<String> command = new ArrayList<>(javaCommand());
            command.addAll(List.of(Bench.class.getName(), "w1", "--no-peers", "--epochs", Integer.toString(options.epochs()), "--threads",
                    Integer.toString(threads), "--data", options.data().toString(), "--json", json.toString()));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            int status = process.waitFor();
            if (status != 0) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                String last = lines.isEmpty() ? "(no output)" : lines.getLast();
                throw new BenchmarkException("the " + threads + "-thread run of w1 failed (exit " + status + "): " + last);
            }
            return parse(Json.parse(Files.readString(json, StandardCharsets.UTF_8)));
        } catch (IOException | Json.SyntaxError | RuntimeException e) {
            throw new BenchmarkException("the " + threads + "-thread run of w1 left no readable results: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchmarkException("interrupted");
        } finally {
            try {
                Files.deleteIfExists(json);
                Files.deleteIfExists(log);
            } catch (IOException e) {
                // left in the temporary folder
            }
        }
    }

    /** backprop's median epoch, fraction of the peak and the cores' round trips from w1's JSON. */
    @SuppressWarnings("unchecked")
    static Run parse(Object parsed) {
        Map<String, Object> root = (Map<String, Object>) parsed;
        Map<String, Object> row = (Map<String, Object>) ((List<?>) root.get("rows")).getFirst();
        double seconds = ((Json.Num) row.get("median_epoch_seconds")).doubleValue();
        return new Run(seconds, number(root.get("step_fraction_of_peak")), number(root.get("core_round_trip_ns_before")),
                number(root.get("core_round_trip_ns_after")));
    }

    /** A JSON number's value, or NaN for anything else (absent included). */
    private static double number(Object value) {
        return value instanceof Json.Num n ? n.doubleValue() : Double.NaN;
    }

    /** This JVM's executable, options and class path, for a child that runs as this one does. */
    static List<String> javaCommand() {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        return command;
    }
}
