package dev.backprop.bench;

import dev.backprop.Activation;
import dev.backprop.Backprop;
import dev.backprop.Cost;
import dev.backprop.Dataset;
import dev.backprop.Network;
import dev.backprop.Precision;
import dev.backprop.Regularization;
import dev.backprop.data.Csv;
import dev.backprop.data.CsvTable;
import dev.backprop.io.Json;
import dev.backprop.secondorder.Limits;
import dev.backprop.secondorder.Method;
import dev.backprop.secondorder.Result;
import dev.backprop.secondorder.SecondOrderTrainer;
import dev.backprop.secondorder.Stop;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The second-order benchmark of issue 4: a 10-16-1 tanh network with the quadratic cost, float64, full batch,
 * fitted to scikit-learn's diabetes data (442 × 10, X and y standardised) by backprop's Levenberg–Marquardt,
 * BFGS, L-BFGS, conjugate gradient, scaled conjugate gradient and Newton (and Hessian-free Newton and Bayesian
 * regularization), beside scikit-learn's MLPRegressor(solver='lbfgs'), PyTorch's LBFGS (strong Wolfe, float64) and
 * scipy's least_squares(method='lm', analytic Jacobian, max_nfev = the iteration limit) run by {@code diabetes_peers.py} in the same run on the same data. Each figure is
 * the median over seeds 0..n−1 of the final training MSE and of the wall time of the optimisation alone, timed
 * inside each process after one untimed warm-up run. Then the goal: the time backprop's LM takes to
 * reach scipy-LM's median MSE, against the time scikit-learn's L-BFGS takes for its iterations.
 */
public final class Diabetes {
    private Diabetes() {
    }

    /** Backprop's methods in the report, in order. */
    static final List<String> METHODS = List.of("lm", "bfgs", "lbfgs", "cg", "scg", "newton", "hessian_free", "br");

    /**
     * @param seeds      number of seeds (0..seeds−1)
     * @param iterations the iteration limit of every method and peer
     * @param peers      whether to run the Python peers
     * @param data       a CSV of standardised x1..x10,y to use instead of the peers' (needed without peers)
     * @param python     the Python that has scikit-learn, PyTorch and scipy
     * @param json       where to write the results as JSON, or null
     * @param threads    backprop's thread count (default: the machine's cores)
     */
    public record Options(int seeds, int iterations, boolean peers, Path data, String python, Path json, int threads) {
        public Options {
            if (seeds < 1) {
                throw new IllegalArgumentException("--seeds must be at least 1, got " + seeds);
            }
            if (iterations < 1) {
                throw new IllegalArgumentException("--iterations must be at least 1, got " + iterations);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
            }
            if (!peers && data == null) {
                throw new IllegalArgumentException("--no-peers needs --data FILE.csv (the peers' script writes the data otherwise)");
            }
        }

        public static Options defaults() {
            return new Options(5, 500, true, null, "/usr/bin/python3", null, Runtime.getRuntime().availableProcessors());
        }

        static Options parse(String[] args) {
            int seeds = 5;
            int iterations = 500;
            boolean peers = true;
            Path data = null;
            String python = "/usr/bin/python3";
            Path json = null;
            int threads = Runtime.getRuntime().availableProcessors();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--no-peers" -> peers = false;
                    case "--seeds", "--iterations", "--data", "--python", "--json", "--threads" -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(a + " needs a value");
                        }
                        String v = args[++i];
                        switch (a) {
                            case "--seeds" -> seeds = Bench.integer(a, v);
                            case "--iterations" -> iterations = Bench.integer(a, v);
                            case "--data" -> data = Path.of(v);
                            case "--python" -> python = v;
                            case "--threads" -> threads = Bench.integer(a, v);
                            default -> json = Path.of(v);
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + a + "' for diabetes; see bench/run --help");
                }
            }
            return new Options(seeds, iterations, peers, data, python, json, threads);
        }
    }

    /** One line of the report: per-seed final training MSE, seconds and iterations (or evaluations). */
    record Row(String name, double[] mse, double[] seconds, double[] counts, String countLabel) {
    }

    /** Runs the benchmark and prints the report. Returns the exit status. */
    public static int run(Options options, PrintStream out) throws BenchmarkException {
        Path work;
        try {
            work = Files.createTempDirectory("backprop-bench");
        } catch (IOException e) {
            throw new BenchmarkException("cannot create a temporary folder: " + e.getMessage());
        }
        List<Row> rows = new ArrayList<>();
        Map<String, String> versions = new LinkedHashMap<>();
        Path dataFile = options.data();
        if (options.peers()) {
            out.println("running the peers (scikit-learn, PyTorch, scipy) with " + options.python() + " ...");
            Path produced = work.resolve("diabetes.csv");
            rows.addAll(runPeers(options, work, produced, versions));
            if (dataFile == null) {
                dataFile = produced;
            }
        }
        Dataset data = load(dataFile);
        out.println("running backprop's methods ...");
        rows.addAll(0, runOurs(data, options));
        double target = Double.NaN;
        Row scipy = find(rows, "scipy least_squares lm");
        double[] toTarget = null;
        int reached = 0;
        if (scipy != null) {
            target = Stats.median(scipy.mse());
            toTarget = new double[options.seeds()];
            for (int seed = 0; seed < options.seeds(); seed++) {
                Network net = network(seed, options.threads());
                long t0 = System.nanoTime();
                Result r = new SecondOrderTrainer(Method.parse("lm"), Limits.defaults().withMaxIterations(options.iterations())
                        .withLossGoal(target / 2)).fit(net, data, Regularization.NONE);
                toTarget[seed] = (System.nanoTime() - t0) / 1e9;
                reached += r.reason() == Stop.LOSS_GOAL ? 1 : 0;
            }
        }
        report(out, options, data, rows, versions, target, toTarget, reached);
        if (options.json() != null) {
            writeJson(options.json(), options, rows, versions, target, toTarget, reached);
        }
        try (var files = Files.list(work)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(work);
        } catch (IOException e) {
            out.println("(could not remove the temporary folder " + work + ")");
        }
        return 0;
    }

    static Network network(long seed, int threads) {
        Network net = Network.builder(10).precision(Precision.FLOAT64).dense(16, Activation.tanh()).dense(1, Activation.identity())
                .cost(Cost.quadratic()).build(seed);
        net.setThreads(threads);
        return net;
    }

    /** Backprop's methods: one untimed warm-up run each (the JIT), then one timed fit per seed. */
    static List<Row> runOurs(Dataset data, Options options) {
        List<Row> rows = new ArrayList<>();
        Limits limits = Limits.defaults().withMaxIterations(options.iterations());
        for (String name : METHODS) {
            new SecondOrderTrainer(Method.parse(name), limits).fit(network(1000, options.threads()), data, Regularization.NONE);
            int n = options.seeds();
            double[] mse = new double[n];
            double[] seconds = new double[n];
            double[] iterations = new double[n];
            for (int seed = 0; seed < n; seed++) {
                Network net = network(seed, options.threads());
                long t0 = System.nanoTime();
                Result r = new SecondOrderTrainer(Method.parse(name), limits).fit(net, data, Regularization.NONE);
                seconds[seed] = (System.nanoTime() - t0) / 1e9;
                mse[seed] = net.evaluate(data).mse();
                iterations[seed] = r.iterations();
            }
            rows.add(new Row("backprop " + name, mse, seconds, iterations, "iterations"));
        }
        return rows;
    }

    static Dataset load(Path file) throws BenchmarkException {
        CsvTable table;
        try {
            table = Csv.read(file, Csv.Options.defaults().withTargets(List.of("y")));
        } catch (dev.backprop.data.DataFormatException e) {
            throw new BenchmarkException(e.getMessage());
        } catch (IOException e) {
            throw new BenchmarkException("cannot read the data " + file + ": " + e.getMessage());
        }
        if (table.featureNames().size() != 10) {
            throw new BenchmarkException(file + " has " + table.featureNames().size() + " features; the diabetes data has 10 (x1..x10,y)");
        }
        int n = table.rows();
        double[][] x = new double[n][];
        double[][] y = new double[n][1];
        for (int i = 0; i < n; i++) {
            x[i] = table.featureRow(i);
            y[i][0] = Double.parseDouble(table.target(i, 0));
        }
        return Dataset.of(x, y);
    }

    static List<Row> runPeers(Options options, Path work, Path dataOut, Map<String, String> versions) throws BenchmarkException {
        Path script = work.resolve("diabetes_peers.py");
        Path results = work.resolve("peers.json");
        Path log = work.resolve("peers.log");
        try (InputStream in = Diabetes.class.getResourceAsStream("diabetes_peers.py")) {
            Files.copy(in, script);
        } catch (IOException | NullPointerException e) {
            throw new BenchmarkException("the peers' script is missing from the bench jar; rebuild with ./mvnw -pl bench -am package");
        }
        ProcessBuilder pb = new ProcessBuilder(options.python(), script.toString(), "--data", dataOut.toString(), "--out",
                results.toString(), "--seeds", Integer.toString(options.seeds()), "--iterations", Integer.toString(options.iterations()));
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        String hint = "the peers need Debian's Python with scikit-learn, PyTorch and scipy (apt-get install python3-sklearn python3-torch"
                + " python3-scipy; --python PATH for another); or run backprop alone with --no-peers --data FILE.csv";
        PeerProcess.run(pb, null, log, "the peers", hint, options.python());
        try {
            Object parsed = Json.parse(Files.readString(results, StandardCharsets.UTF_8));
            return peerRows(parsed, options.seeds(), versions);
        } catch (IOException | Json.SyntaxError e) {
            throw new BenchmarkException("the peers wrote unreadable results: " + e.getMessage());
        }
    }

    /** Rows from the peers' JSON: {"versions": {...}, "records": [{"name", "seed", "mse", "seconds", "count"}...]}. */
    @SuppressWarnings("unchecked")
    static List<Row> peerRows(Object parsed, int seeds, Map<String, String> versions) {
        Map<String, Object> root = (Map<String, Object>) parsed;
        ((Map<String, Object>) root.get("versions")).forEach((k, v) -> versions.put(k, String.valueOf(v)));
        Map<String, double[][]> byName = new LinkedHashMap<>();
        for (Object o : (List<Object>) root.get("records")) {
            Map<String, Object> rec = (Map<String, Object>) o;
            String name = (String) rec.get("name");
            int seed = (int) number(rec.get("seed"));
            double[][] cols = byName.computeIfAbsent(name, k -> new double[3][seeds]);
            cols[0][seed] = number(rec.get("mse"));
            cols[1][seed] = number(rec.get("seconds"));
            cols[2][seed] = number(rec.get("count"));
        }
        List<Row> rows = new ArrayList<>();
        byName.forEach((name, c) -> rows.add(new Row(name, c[0], c[1], c[2], name.startsWith("scipy") ? "evaluations" : "iterations")));
        return rows;
    }

    private static double number(Object o) {
        return o instanceof Json.Num n ? Double.parseDouble(n.literal()) : ((Number) o).doubleValue();
    }

    static Row find(List<Row> rows, String name) {
        return rows.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }

    static void report(PrintStream out, Options options, Dataset data, List<Row> rows, Map<String, String> versions, double target,
                       double[] toTarget, int reached) {
        out.println();
        out.printf(Locale.ROOT, "diabetes: %d examples x %d features, 10-16-1 tanh, quadratic cost, float64, full batch; %d seeds, at most %d"
                + " iterations%n", data.size(), data.features(), options.seeds(), options.iterations());
        StringBuilder v = new StringBuilder("backprop " + Backprop.VERSION + " on Java " + Runtime.version() + " (" + options.threads()
                + (options.threads() == 1 ? " thread)" : " threads)"));
        versions.forEach((k, val) -> v.append(", ").append(k).append(' ').append(val));
        out.println(v);
        out.println("times: the optimisation alone, inside each process, after one untimed warm-up run; medians over seeds");
        out.println();
        Row sklearn = find(rows, "sklearn MLPRegressor lbfgs");
        double base = sklearn == null ? Double.NaN : Stats.median(sklearn.seconds());
        out.printf(Locale.ROOT, "%-28s %11s %23s %10s %9s %12s%n", "method", "median MSE", "MSE range over seeds", "median s",
                sklearn == null ? "" : "x sklearn", "median count");
        for (Row r : rows) {
            double s = Stats.median(r.seconds());
            out.printf(Locale.ROOT, "%-28s %11.4f %11.4f - %-9.4f %10.3f %9s %8.0f %s%n", r.name(), Stats.median(r.mse()), Stats.min(r.mse()),
                    Stats.max(r.mse()), s, Double.isNaN(base) ? "" : String.format(Locale.ROOT, "%.2f", s / base), Stats.median(r.counts()),
                    r.countLabel());
        }
        if (toTarget != null) {
            double t = Stats.median(toTarget);
            out.println();
            out.printf(Locale.ROOT, "goal: backprop lm to scipy-LM's median MSE %.4f: median %.3f s (%d of %d seeds reached it)", target, t,
                    reached, toTarget.length);
            if (!Double.isNaN(base)) {
                out.printf(Locale.ROOT, "; scikit-learn's L-BFGS (%d iterations): %.3f s; ratio %.2f: %s", options.iterations(), base, t / base,
                        t < base && 2 * reached > toTarget.length ? "goal met" : "goal NOT met");
            }
            out.println();
        }
    }

    static void writeJson(Path file, Options options, List<Row> rows, Map<String, String> versions, double target, double[] toTarget,
                          int reached) throws BenchmarkException {
        StringBuilder sb = new StringBuilder("{\n \"benchmark\": \"diabetes\",\n \"seeds\": ").append(options.seeds())
                .append(",\n \"iterations\": ").append(options.iterations());
        JsonText.appendProvenance(sb, versions);
        sb.append(",\n \"rows\": [\n");
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            sb.append("  {\"name\": ");
            Json.quote(sb, row.name());
            sb.append(", \"mse\": ").append(array(row.mse())).append(", \"seconds\": ").append(array(row.seconds()))
                    .append(", \"").append(row.countLabel()).append("\": ").append(array(row.counts())).append('}')
                    .append(r + 1 < rows.size() ? ",\n" : "\n");
        }
        sb.append(" ]");
        if (toTarget != null) {
            sb.append(",\n \"lm_to_scipy_mse\": {\"target_mse\": ").append(target).append(", \"seconds\": ").append(array(toTarget))
                    .append(", \"reached\": ").append(reached).append('}');
        }
        sb.append("\n}\n");
        try {
            Files.writeString(file, sb, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BenchmarkException("cannot write " + file + ": " + e.getMessage());
        }
    }

    private static String array(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(Double.isFinite(v[i]) ? Double.toString(v[i]) : "null");
        }
        return sb.append(']').toString();
    }
}
