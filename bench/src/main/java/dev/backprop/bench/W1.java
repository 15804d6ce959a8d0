package dev.backprop.bench;

import dev.backprop.Activation;
import dev.backprop.Backprop;
import dev.backprop.Cost;
import dev.backprop.Dataset;
import dev.backprop.InputScaling;
import dev.backprop.Network;
import dev.backprop.Precision;
import dev.backprop.data.DataFormatException;
import dev.backprop.data.Idx;
import dev.backprop.io.Json;
import dev.backprop.kernel.Kernels;
import dev.backprop.optim.Adam;
import dev.backprop.train.EpochRecord;
import dev.backprop.train.Trainer;
import dev.backprop.train.TrainingConfig;
import dev.backprop.train.TrainingListener;
import dev.backprop.train.TrainingResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The W1 benchmark of issue 5: Fashion-MNIST (all 60,000 training images, divided by 255, no validation split),
 * a 784-256-128-10 ReLU network with softmax and cross-entropy, float32, Adam (lr 1e-3, PyTorch's defaults
 * otherwise), mini-batches of 128 reshuffled every epoch from seed 1, 10 epochs, evaluated on the 10,000 test
 * images after epochs 1, 5 and 10 (and the last). backprop trains through its public API exactly as
 * {@code backprop train} does (Network.builder, InputScaling of 1/255, Trainer with a listener); PyTorch 1.13
 * ({@code w1_torch.py}) trains the same network on the same files in the same run, under Debian's Python, with
 * one torch thread and OpenBLAS's own threads (the best setting on these machines; platform notes). Each epoch's
 * training is timed alone, inside each process (no data loading, no evaluation); the report gives the median
 * seconds per epoch, the mean without the first epoch (the JIT's warm-up), samples per second, the test accuracy
 * at the checkpoints and the peak resident memory of each process.
 */
public final class W1 {
    private W1() {
    }

    /** Where Debian's dataset-fashion-mnist puts the IDX files. */
    static final Path DEFAULT_DATA = Path.of("/usr/share/datasets/fashion-mnist");
    static final int BATCH = 128;
    static final double LEARNING_RATE = 1e-3;
    static final long SEED = 1;
    static final int CLASSES = 10;
    static final int PIXELS = 28 * 28;
    /** The epochs after which the test accuracy is measured (those not beyond the last; the last is added). */
    static final int[] CHECKPOINTS = {1, 5, 10};
    static final String INSTALL_DATA = "apt-get install dataset-fashion-mnist";
    static final String INSTALL_TORCH = "apt-get install python3-torch";

    /**
     * @param epochs       epochs of training (default 10)
     * @param threads      backprop's thread count (default: the machine's cores)
     * @param torchThreads PyTorch's intra-op threads, {@code torch.set_num_threads} (default 1; OpenBLAS keeps its own)
     * @param peers        whether to run PyTorch
     * @param data         the folder of the four Fashion-MNIST IDX files (gzipped or not)
     * @param python       the Python that has PyTorch
     * @param json         where to write the results as JSON, or null
     * @param blasCore     OPENBLAS_CORETYPE for the peer, or null to leave OpenBLAS its own choice; by default the
     *                     fastest kernels this CPU runs ({@link #bestBlasCore()}: SkylakeX with AVX-512, Haswell with
     *                     AVX2), because OpenBLAS 0.3.21 does not recognise newer CPUs and falls back to SSE3 kernels
     * @param batch        examples per mini-batch, for both trainers (default 128, the issue's workload)
     * @param flushDenormal whether the peer runs with {@code torch.set_flush_denormal(True)} (default: yes, its faster setting
     *                     here: Adam's first moments of always-zero pixels decay into subnormal numbers, which x86 computes
     *                     slowly; backprop's Adam flushes its own subnormal moments, see Kernels#adamStep)
     */
    public record Options(int epochs, int threads, int torchThreads, boolean peers, Path data, String python, Path json, String blasCore,
            int batch, boolean flushDenormal) {
        public Options {
            if (epochs < 1) {
                throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
            }
            if (torchThreads < 1) {
                throw new IllegalArgumentException("--torch-threads must be at least 1, got " + torchThreads);
            }
            if (batch < 1) {
                throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
            }
            if (blasCore != null && !blasCore.matches("[A-Za-z0-9_]+")) {
                throw new IllegalArgumentException("--openblas-coretype takes an OpenBLAS core name such as SkylakeX or Haswell, got '"
                        + blasCore + "'");
            }
        }

        public static Options defaults() {
            return new Options(10, Runtime.getRuntime().availableProcessors(), 1, true, DEFAULT_DATA, "/usr/bin/python3", null, bestBlasCore(),
                    BATCH, true);
        }

        /**
         * The OpenBLAS core type for the fastest kernels this CPU can run, from /proc/cpuinfo's flags: SkylakeX with
         * avx512f, Haswell with avx2, else null (OpenBLAS's own choice).
         */
        static String bestBlasCore() {
            return dev.backprop.blas.BlasKernelsProvider.fastestCoreType();
        }

        static Options parse(String[] args) {
            Options d = defaults();
            int epochs = d.epochs();
            int threads = d.threads();
            int torchThreads = d.torchThreads();
            boolean peers = true;
            Path data = d.data();
            String python = d.python();
            Path json = null;
            String blasCore = d.blasCore();
            boolean flush = d.flushDenormal();
            int batch = d.batch();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--no-peers" -> peers = false;
                    case "--epochs", "--threads", "--torch-threads", "--data", "--python", "--json", "--openblas-coretype", "--torch-denormals",
                            "--batch" -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(a + " needs a value");
                        }
                        String v = args[++i];
                        switch (a) {
                            case "--epochs" -> epochs = Bench.integer(a, v);
                            case "--threads" -> threads = Bench.integer(a, v);
                            case "--torch-threads" -> torchThreads = Bench.integer(a, v);
                            case "--batch" -> batch = Bench.integer(a, v);
                            case "--data" -> data = Path.of(v);
                            case "--python" -> python = v;
                            case "--openblas-coretype" -> blasCore = v.equals("default") ? null : v;
                            case "--torch-denormals" -> flush = switch (v) {
                                case "flush" -> true;
                                case "keep" -> false;
                                default -> throw new IllegalArgumentException("--torch-denormals takes flush or keep, got '" + v + "'");
                            };
                            default -> json = Path.of(v);
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + a + "' for w1; see bench/run --help");
                }
            }
            return new Options(epochs, threads, torchThreads, peers, data, python, json, blasCore, batch, flush);
        }
    }

    /** The four IDX files. */
    record Files4(Path trainImages, Path trainLabels, Path testImages, Path testLabels) {
    }

    /**
     * One line of the report.
     *
     * @param name         backprop or pytorch
     * @param epochSeconds the wall time of each epoch's training
     * @param checkpoints  the epochs after which the test accuracy was measured
     * @param accuracy     the test accuracy at each checkpoint
     * @param peakMiB      the process's peak resident memory (MiB), NaN if unknown
     * @param trainSize    the number of training examples per epoch
     */
    record Row(String name, double[] epochSeconds, int[] checkpoints, double[] accuracy, double peakMiB, int trainSize) {
        double medianSeconds() {
            return Stats.median(epochSeconds);
        }

        /** The mean seconds per epoch without the first (the JIT's warm-up), NaN with one epoch. */
        double meanSecondsAfterFirst() {
            return epochSeconds.length < 2 ? Double.NaN : Arrays.stream(epochSeconds, 1, epochSeconds.length).average().orElseThrow();
        }

        double samplesPerSecond() {
            return trainSize / medianSeconds();
        }

        /** The seconds of all epochs' training together, the JIT's warm-up included. */
        double totalSeconds() {
            return Arrays.stream(epochSeconds).sum();
        }

        /** The test accuracy after {@code epoch}, NaN if it was not measured. */
        double accuracyAt(int epoch) {
            for (int i = 0; i < checkpoints.length; i++) {
                if (checkpoints[i] == epoch) {
                    return accuracy[i];
                }
            }
            return Double.NaN;
        }
    }

    /**
     * backprop's training step against the machine: the floating-point operations of an epoch's products and the
     * float32 FMA peak of the threads that ran them, measured at once on that many threads ({@link Cores#fmaPeak}).
     *
     * @param gflopPerEpoch the GFLOP of an epoch's products ({@link #stepFlopsPerExample} times the examples)
     * @param peakGflops    the threads' FMA peak together, GFLOP/s
     * @param threads       how many threads trained and measured the peak
     * @param tripBeforeNs  a cache line's round trip between two cores just before backprop's training
     *                      ({@link Cores#roundTripNanos}); NaN when not measured (one thread)
     * @param tripAfterNs   the same just after it
     */
    record Efficiency(double gflopPerEpoch, double peakGflops, int threads, double tripBeforeNs, double tripAfterNs) {
        /** GFLOP/s of an epoch that took {@code seconds}. */
        double gflops(double seconds) {
            return gflopPerEpoch / seconds;
        }

        /** That rate as a fraction of the peak. */
        double fraction(double seconds) {
            return gflops(seconds) / peakGflops;
        }
    }

    /**
     * Floating-point operations (a multiply-add counts 2) of one example's products in a training step: the forward
     * product of every layer (2·in·out), the weight gradient of every trainable layer (2·in·out), and the delta each
     * layer above the lowest trainable one hands down (2·in·out). Element-wise work (bias, activations, the cost, the
     * optimizer) is not counted: it is a few per cent of the operations. W1: 1,007,104 per example.
     */
    static double stepFlopsPerExample(Network net) {
        int lowest = -1; // the lowest trainable layer
        for (int l = net.layers().size() - 1; l >= 0; l--) {
            lowest = net.layers().get(l).isFrozen() ? lowest : l;
        }
        double flops = 0;
        for (int l = 0; l < net.layers().size(); l++) {
            dev.backprop.Dense d = net.layers().get(l);
            double product = 2.0 * d.inputs() * d.outputs();
            flops += product;
            if (!d.isFrozen()) {
                flops += product;
            }
            if (lowest >= 0 && l > lowest) {
                flops += product;
            }
        }
        return flops;
    }

    /** The epochs after which the test accuracy is measured: 1, 5 and 10 where not beyond {@code epochs}, and the last. */
    static int[] checkpoints(int epochs) {
        TreeSet<Integer> s = new TreeSet<>();
        for (int c : CHECKPOINTS) {
            if (c <= epochs) {
                s.add(c);
            }
        }
        s.add(epochs);
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Runs the benchmark and prints the report. Returns the exit status. */
    public static int run(Options options, PrintStream out) throws BenchmarkException {
        Files4 files = files(options.data());
        String kernels = Kernels.preferred(Precision.FLOAT32).name();
        List<Row> rows = new ArrayList<>();
        Map<String, String> versions = new LinkedHashMap<>();
        Row peer = null;
        if (options.peers()) {
            out.println("running PyTorch with " + options.python() + " (" + count(options.epochs(), "epoch") + ") ...");
            peer = runPeer(options, files, versions);
        }
        out.println("running backprop (" + kernels + ", " + threads(options.threads()) + ", " + count(options.epochs(), "epoch") + ") ...");
        // where the vCPUs sit decides what the cores' hand-offs cost: timed on both sides of the training
        double tripBefore = options.threads() > 1 ? Cores.roundTripNanos(Cores.TRIPS) : Double.NaN;
        Row ours = runOurs(options, files, out);
        double tripAfter = options.threads() > 1 ? Cores.roundTripNanos(Cores.TRIPS) : Double.NaN;
        rows.add(ours);
        if (peer != null) {
            rows.add(peer);
        }
        // measured after training, so that the peak's threads take no core from it
        Efficiency efficiency = new Efficiency(stepFlopsPerExample(network(1)) * ours.trainSize() / 1e9, Cores.fmaPeak(options.threads()),
                options.threads(), tripBefore, tripAfter);
        report(out, options, kernels, rows, versions, efficiency);
        if (options.json() != null) {
            try {
                Files.writeString(options.json(), json(options, kernels, rows, versions, efficiency), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new BenchmarkException("cannot write " + options.json() + ": " + e.getMessage());
            }
        }
        return 0;
    }

    /** The four files in {@code dir} (each gzipped or not), or a one-line error naming the package. */
    static Files4 files(Path dir) throws BenchmarkException {
        String[] names = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
        Path[] found = new Path[4];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            for (String candidate : new String[] {names[i] + ".gz", names[i]}) {
                if (found[i] == null && Files.isRegularFile(dir.resolve(candidate))) {
                    found[i] = dir.resolve(candidate);
                }
            }
            if (found[i] == null) {
                missing.add(names[i] + "[.gz]");
            }
        }
        if (!missing.isEmpty()) {
            throw new BenchmarkException("Fashion-MNIST is not in " + dir + " (missing " + String.join(", ", missing) + "): " + INSTALL_DATA
                    + ", or give its folder with --data DIR");
        }
        return new Files4(found[0], found[1], found[2], found[3]);
    }

    static Dataset load(Path images, Path labels) throws BenchmarkException {
        try {
            Idx.Array x = Idx.read(images);
            if (x.itemSize() != PIXELS) {
                throw new BenchmarkException(images + " holds items of " + x.itemSize() + " values; W1 needs 28 x 28 = 784-pixel images");
            }
            return Idx.classification(x, Idx.read(labels), CLASSES);
        } catch (DataFormatException e) {
            throw new BenchmarkException(e.getMessage());
        } catch (IOException e) {
            throw new BenchmarkException("cannot read " + images + " or " + labels + ": " + e.getMessage());
        }
    }

    /** The W1 network as {@code backprop train --layers 784-256:relu-128:relu-10:softmax --seed 1} builds it, inputs / 255. */
    static Network network(int threads) {
        Network net = Network.builder(PIXELS).dense(256, Activation.relu()).dense(128, Activation.relu()).dense(CLASSES, Activation.softmax())
                .cost(Cost.crossEntropy()).build(SEED);
        double[] center = new double[PIXELS];
        double[] scale = new double[PIXELS];
        Arrays.fill(scale, 255);
        net.setInputScaling(new InputScaling("custom", center, scale)); // what the CLI does for IDX bytes
        net.setThreads(threads);
        return net;
    }

    /** backprop's side: trains epoch after epoch in one Trainer.fit, timing each epoch from the listener. */
    static Row runOurs(Options options, Files4 files, PrintStream out) throws BenchmarkException {
        Dataset train = load(files.trainImages(), files.trainLabels());
        Dataset test = load(files.testImages(), files.testLabels());
        Network net = network(options.threads());
        TrainingConfig config = TrainingConfig.defaults().withOptimizer(new Adam(LEARNING_RATE)).withBatchSize(options.batch())
                .withEpochs(options.epochs()).withSeed(SEED).withShuffle(true).withPatience(0);
        int[] checkpoints = checkpoints(options.epochs());
        double[] seconds = new double[options.epochs()];
        double[] accuracy = new double[checkpoints.length];
        long[] mark = new long[1];
        TrainingListener timer = new TrainingListener() {
            private int next;

            @Override
            public void onEpoch(EpochRecord r) {
                // the epoch ends here; evaluation and printing happen before the next epoch's clock starts
                seconds[r.epoch() - 1] = (System.nanoTime() - mark[0]) / 1e9;
                String acc = "";
                if (next < checkpoints.length && checkpoints[next] == r.epoch()) {
                    accuracy[next] = net.evaluate(test).accuracy();
                    acc = String.format(Locale.ROOT, ", test accuracy %.4f", accuracy[next++]);
                }
                out.printf(Locale.ROOT, "  epoch %d/%d: %.3f s, training loss %.4f%s%n", r.epoch(), options.epochs(), seconds[r.epoch() - 1],
                        r.loss(), acc);
                mark[0] = System.nanoTime();
            }
        };
        mark[0] = System.nanoTime();
        TrainingResult result = new Trainer(config, timer).fit(net, train);
        if (result.diverged() || result.history().size() != options.epochs()) {
            throw new BenchmarkException("backprop's training stopped early: " + result.message());
        }
        return new Row("backprop", seconds, checkpoints, accuracy, peakRssMiB(), train.size());
    }

    /** This process's peak resident memory in MiB (VmHWM in /proc/self/status), NaN where there is none. */
    static double peakRssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("VmHWM:")) {
                    String[] p = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(p[0]) / 1024.0; // kB
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: unknown
        }
        return Double.NaN;
    }

    /** PyTorch's side, by {@code w1_torch.py} under the given Python, with OpenBLAS's forced core type unset. */
    static Row runPeer(Options options, Files4 files, Map<String, String> versions) throws BenchmarkException {
        Path work;
        try {
            work = Files.createTempDirectory("backprop-bench");
        } catch (IOException e) {
            throw new BenchmarkException("cannot create a temporary folder: " + e.getMessage());
        }
        Path script = work.resolve("w1_torch.py");
        Path results = work.resolve("torch.json");
        Path log = work.resolve("torch.log");
        try {
            try (InputStream in = W1.class.getResourceAsStream("w1_torch.py")) {
                Files.copy(in, script);
            } catch (IOException | NullPointerException e) {
                throw new BenchmarkException("the peer's script is missing from the bench jar; rebuild with ./mvnw -pl bench -am package");
            }
            String eval = String.join(",", Arrays.stream(checkpoints(options.epochs())).mapToObj(Integer::toString).toList());
            ProcessBuilder pb = new ProcessBuilder(options.python(), script.toString(), "--train-images", files.trainImages().toString(),
                    "--train-labels", files.trainLabels().toString(), "--test-images", files.testImages().toString(), "--test-labels",
                    files.testLabels().toString(), "--epochs", Integer.toString(options.epochs()), "--eval", eval, "--torch-threads",
                    Integer.toString(options.torchThreads()), "--batch", Integer.toString(options.batch()), "--lr", Double.toString(LEARNING_RATE),
                    "--seed", Long.toString(SEED));
            if (options.flushDenormal()) {
                pb.command().add("--flush-denormal");
            }
            pb.redirectOutput(results.toFile()).redirectError(log.toFile());
            String hint = "the peer needs Debian's Python 3 with PyTorch (" + INSTALL_TORCH + "; --python PATH for another),"
                    + " or run backprop alone with --no-peers";
            PeerProcess.run(pb, options.blasCore(), log, "PyTorch", hint, options.python());
            try {
                return peerRow(Json.parse(Files.readString(results, StandardCharsets.UTF_8)), versions);
            } catch (IOException | Json.SyntaxError | RuntimeException e) {
                throw new BenchmarkException("PyTorch wrote unreadable results: " + e.getMessage());
            }
        } finally {
            for (Path f : new Path[] {script, results, log, work}) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    // left in the temporary folder
                }
            }
        }
    }

    /**
     * The row from the peer's JSON: {"name", "versions": {...}, "threads": {"torch", "blas"}, "train_examples",
     * "epoch_seconds": [...], "checkpoints": [...], "accuracy": [...], "peak_rss_kb"}. Versions and threads go to
     * {@code versions}.
     *
     * @throws IllegalArgumentException if a field is missing or of the wrong kind
     */
    @SuppressWarnings("unchecked")
    static Row peerRow(Object parsed, Map<String, String> versions) {
        if (!(parsed instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("not a JSON object");
        }
        Map<String, Object> root = (Map<String, Object>) m;
        if (root.get("versions") instanceof Map<?, ?> v) {
            v.forEach((k, val) -> versions.put(String.valueOf(k), text(val)));
        }
        if (root.get("threads") instanceof Map<?, ?> t) {
            t.forEach((k, val) -> versions.put(k + "_threads", text(val)));
        }
        double[] seconds = numbers(root, "epoch_seconds");
        double[] cp = numbers(root, "checkpoints");
        double[] accuracy = numbers(root, "accuracy");
        if (seconds.length == 0 || cp.length != accuracy.length) {
            throw new IllegalArgumentException("expected epoch seconds and one accuracy per checkpoint, got " + seconds.length + " epochs, "
                    + cp.length + " checkpoints and " + accuracy.length + " accuracies");
        }
        Object rss = root.get("peak_rss_kb");
        return new Row(String.valueOf(root.getOrDefault("name", "pytorch")), seconds, Arrays.stream(cp).mapToInt(c -> (int) c).toArray(),
                accuracy, rss == null ? Double.NaN : number(rss) / 1024, (int) number(field(root, "train_examples")));
    }

    private static Object field(Map<String, Object> root, String name) {
        Object o = root.get(name);
        if (o == null) {
            throw new IllegalArgumentException("no \"" + name + "\"");
        }
        return o;
    }

    private static double[] numbers(Map<String, Object> root, String name) {
        if (!(field(root, name) instanceof List<?> list)) {
            throw new IllegalArgumentException("\"" + name + "\" is not a list");
        }
        return list.stream().mapToDouble(W1::number).toArray();
    }

    private static double number(Object o) {
        if (o instanceof Json.Num n) {
            return Double.parseDouble(n.literal());
        }
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("expected a number, got " + o);
    }

    private static String text(Object o) {
        return o instanceof Json.Num n ? n.literal() : String.valueOf(o);
    }

    private static String threads(int n) {
        return count(n, "thread");
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    static Row find(List<Row> rows, String name) {
        return rows.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }

    /** pytorch's median s/epoch ÷ backprop's (above 1: backprop is faster), NaN without both. */
    static double ratio(List<Row> rows) {
        Row ours = find(rows, "backprop");
        Row torch = find(rows, "pytorch");
        return ours == null || torch == null ? Double.NaN : torch.medianSeconds() / ours.medianSeconds();
    }

    /** pytorch's seconds for all epochs ÷ backprop's (the first epoch, the JIT's warm-up, included), NaN without both. */
    static double totalRatio(List<Row> rows) {
        Row ours = find(rows, "backprop");
        Row torch = find(rows, "pytorch");
        return ours == null || torch == null ? Double.NaN : torch.totalSeconds() / ours.totalSeconds();
    }

    /** backprop's test accuracy minus pytorch's after {@code epoch}, NaN without both. */
    static double accuracyDifference(List<Row> rows, int epoch) {
        Row ours = find(rows, "backprop");
        Row torch = find(rows, "pytorch");
        return ours == null || torch == null ? Double.NaN : ours.accuracyAt(epoch) - torch.accuracyAt(epoch);
    }

    static void report(PrintStream out, Options options, String kernels, List<Row> rows, Map<String, String> versions, Efficiency efficiency) {
        int trainSize = rows.isEmpty() ? 0 : rows.getFirst().trainSize();
        out.println();
        out.printf(Locale.ROOT, "W1: Fashion-MNIST, %,d training images (no validation split), inputs / 255; 784-256-128-10 ReLU, softmax +"
                + " cross-entropy, float32; Adam lr %s, batch %d, %d epochs, seed %d%n", trainSize, Double.toString(LEARNING_RATE), options.batch(),
                options.epochs(), SEED);
        StringBuilder v = new StringBuilder("backprop " + Backprop.VERSION + " on Java " + Runtime.version() + " (kernels " + kernels + ", "
                + threads(options.threads()) + ")");
        if (!versions.isEmpty()) {
            v.append("; pytorch: torch ").append(versions.getOrDefault("torch", "?"));
            if (versions.containsKey("torch_threads")) {
                v.append(" (").append(threads(Integer.parseInt(versions.get("torch_threads")))).append(')');
            }
            if (versions.containsKey("openblas")) {
                v.append(", OpenBLAS ").append(versions.get("openblas")).append(" (").append(versions.getOrDefault("openblas_core", "?"))
                        .append(" kernels, ").append(versions.getOrDefault("blas_threads", "?")).append(" threads)");
            }
            if (versions.containsKey("flush_denormal")) {
                v.append(", flush_denormal ").append(versions.get("flush_denormal"));
            }
            v.append(", numpy ").append(versions.getOrDefault("numpy", "?")).append(", Python ").append(versions.getOrDefault("python", "?"));
        }
        out.println(v);
        out.println("times: the wall time of each epoch's training alone (no data loading, no evaluation), inside each process;"
                + " samples/s from the median epoch");
        if ("Prescott".equals(versions.get("openblas_core")) && options.blasCore() == null) {
            out.println("note: the peer's OpenBLAS does not know this CPU and fell back to its Prescott (SSE3) kernels, so its time is not"
                    + " its best: compare with --openblas-coretype SkylakeX (AVX-512) or Haswell (AVX2)");
        }
        out.println();
        int[] cps = checkpoints(options.epochs());
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-9s %9s %13s %10s %8s", "", "s/epoch", "s/epoch mean", "samples/s",
                "total s"));
        for (int c : cps) {
            head.append(String.format(Locale.ROOT, " %8s", "acc@" + c));
        }
        head.append(String.format(Locale.ROOT, " %14s", "peak RSS MiB"));
        out.println(head);
        StringBuilder sub = new StringBuilder(String.format(Locale.ROOT, "%-9s %9s %13s %10s %8s", "", "median", "from epoch 2", "",
                "all"));
        out.println(sub.toString().stripTrailing());
        for (Row r : rows) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-9s %9.3f %13s %,10.0f %8.2f", r.name(), r.medianSeconds(),
                    Double.isNaN(r.meanSecondsAfterFirst()) ? "-" : String.format(Locale.ROOT, "%.3f", r.meanSecondsAfterFirst()),
                    r.samplesPerSecond(), r.totalSeconds()));
            for (int c : cps) {
                double a = r.accuracyAt(c);
                line.append(String.format(Locale.ROOT, " %8s", Double.isNaN(a) ? "-" : String.format(Locale.ROOT, "%.4f", a)));
            }
            line.append(String.format(Locale.ROOT, " %14s", Double.isNaN(r.peakMiB()) ? "-" : String.format(Locale.ROOT, "%.0f", r.peakMiB())));
            out.println(line);
        }
        Row ours = find(rows, "backprop");
        if (efficiency != null && ours != null && efficiency.peakGflops() > 0) {
            out.println();
            out.printf(Locale.ROOT, "backprop's step: %.1f GFLOP per epoch (forward products, weight gradients, deltas), %.0f GFLOP/s at the"
                    + " median epoch: %.0f%% of the float32 FMA peak of %s measured after training (%.0f GFLOP/s)%n", efficiency.gflopPerEpoch(),
                    efficiency.gflops(ours.medianSeconds()), 100 * efficiency.fraction(ours.medianSeconds()), threads(efficiency.threads()),
                    efficiency.peakGflops());
            if (!Double.isNaN(efficiency.tripBeforeNs())) {
                out.printf(Locale.ROOT, "a cache line's round trip between two cores: %.0f ns before backprop's training, %.0f ns after (its"
                        + " threads hand data from core to core several times a step; on a VM this moves with where the vCPUs sit)%n",
                        efficiency.tripBeforeNs(), efficiency.tripAfterNs());
            }
        }
        double ratio = ratio(rows);
        if (!Double.isNaN(ratio)) {
            out.println();
            out.printf(Locale.ROOT, "ratio pytorch s/epoch / backprop s/epoch: %.3f (%s); test accuracy after epoch %d, backprop - pytorch:"
                    + " %+.4f%n", ratio, ratio > 1 ? "backprop is faster" : "pytorch is faster", options.epochs(),
                    accuracyDifference(rows, options.epochs()));
            out.printf(Locale.ROOT, "ratio of the total training time of all %d epochs, the JIT's warm-up included: %.3f%n", options.epochs(),
                    totalRatio(rows));
        }
    }

    static String json(Options options, String kernels, List<Row> rows, Map<String, String> versions, Efficiency efficiency) {
        StringBuilder sb = new StringBuilder("{\n \"benchmark\": \"w1\",\n \"epochs\": ").append(options.epochs()).append(",\n \"batch\": ")
                .append(options.batch()).append(",\n \"learning_rate\": ").append(LEARNING_RATE).append(",\n \"seed\": ").append(SEED)
                .append(",\n \"threads\": ").append(options.threads()).append(",\n \"torch_threads\": ").append(options.torchThreads())
                .append(",\n \"kernels\": ");
        Json.quote(sb, kernels);
        JsonText.appendProvenance(sb, versions);
        sb.append(",\n \"rows\": [\n");
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            sb.append("  {\"name\": ");
            Json.quote(sb, row.name());
            sb.append(", \"train_examples\": ").append(row.trainSize()).append(", \"epoch_seconds\": ").append(array(row.epochSeconds()))
                    .append(", \"median_epoch_seconds\": ").append(number(row.medianSeconds())).append(", \"mean_epoch_seconds_after_first\": ")
                    .append(number(row.meanSecondsAfterFirst())).append(", \"total_seconds\": ").append(number(row.totalSeconds()))
                    .append(", \"samples_per_second\": ").append(number(row.samplesPerSecond()))
                    .append(", \"checkpoints\": ").append(Arrays.toString(row.checkpoints())).append(", \"test_accuracy\": ")
                    .append(array(row.accuracy())).append(", \"peak_rss_mib\": ").append(number(row.peakMiB())).append('}')
                    .append(r + 1 < rows.size() ? ",\n" : "\n");
        }
        sb.append(" ]");
        Row ours = find(rows, "backprop");
        if (efficiency != null && ours != null && efficiency.peakGflops() > 0) {
            sb.append(",\n \"step_gflop_per_epoch\": ").append(number(efficiency.gflopPerEpoch())).append(",\n \"step_gflops\": ")
                    .append(number(efficiency.gflops(ours.medianSeconds()))).append(",\n \"fma_peak_gflops\": ")
                    .append(number(efficiency.peakGflops())).append(",\n \"fma_peak_threads\": ").append(efficiency.threads())
                    .append(",\n \"step_fraction_of_peak\": ").append(number(efficiency.fraction(ours.medianSeconds())));
            if (!Double.isNaN(efficiency.tripBeforeNs())) {
                sb.append(",\n \"core_round_trip_ns_before\": ").append(number(efficiency.tripBeforeNs()))
                        .append(",\n \"core_round_trip_ns_after\": ").append(number(efficiency.tripAfterNs()));
            }
        }
        double ratio = ratio(rows);
        if (!Double.isNaN(ratio)) {
            sb.append(",\n \"pytorch_over_backprop_seconds\": ").append(number(ratio)).append(",\n \"pytorch_over_backprop_total_seconds\": ")
                    .append(number(totalRatio(rows))).append(",\n \"accuracy_difference_last_epoch\": ")
                    .append(number(accuracyDifference(rows, options.epochs())));
        }
        return sb.append("\n}\n").toString();
    }

    private static String number(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    private static String array(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(number(v[i]));
        }
        return sb.append(']').toString();
    }
}
