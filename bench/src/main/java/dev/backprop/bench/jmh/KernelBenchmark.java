package dev.backprop.bench.jmh;

import dev.backprop.Activation;
import dev.backprop.Precision;
import dev.backprop.kernel.Kernels;
import dev.backprop.kernel.Vec;
import dev.backprop.util.Rng;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One kernel call per invocation, scalar reference against the Vector API backend, over the shapes that matter:
 * square products, the W1 network's three GEMM forms at batch 128 (and 64, a thread's half), the diabetes
 * network's JᵀJ and Cholesky, and the element-wise work of a training step. {@link #CASES} names each case and
 * its floating-point operation count, from which {@code bench/run kernels} reports GFLOP/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 6, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 400, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-XX:+UseParallelGC",
    "--sun-misc-unsafe-memory-access=allow"})
public class KernelBenchmark {

    /** Each case: precision, operation and sizes, and its floating-point operations per call. */
    public record Case(String name, String precision, String op, int m, int n, int k, double flops) {
    }

    /** The cases, by name (the names are the JMH parameter values). */
    public static final Map<String, Case> CASES = new LinkedHashMap<>();

    private static void gemm(String p, String form, int m, int n, int k) {
        String name = (p.equals("f32") ? "s" : "d") + "gemm-" + form + "-" + m + "x" + n + "x" + k;
        CASES.put(name, new Case(name, p, "gemm-" + form, m, n, k, 2.0 * m * n * k));
    }

    static {
        for (int s : new int[] {64, 256, 1024}) {
            for (String f : new String[] {"nn", "nt", "tn"}) {
                gemm("f32", f, s, s, s);
            }
        }
        gemm("f32", "nt", 128, 256, 784); // W1 layer 1 forward, Z = X·Wᵀ
        gemm("f32", "tn", 256, 784, 128); // its weight gradient, dW = dZᵀ·X
        gemm("f32", "nn", 128, 256, 128); // layer 2's delta to layer 1, dZ·W
        gemm("f32", "nt", 64, 256, 784); // the same at 64 rows, one thread's half of a batch
        gemm("f32", "nn", 64, 256, 784); // the same product with Wᵀ stored (B packed by plain copies), for comparison
        gemm("f32", "tn", 256, 784, 64);
        gemm("f32", "nt", 128, 128, 784); // layer 1 forward on one of 2 threads when they split the units
        gemm("f32", "tn", 128, 784, 128); // its weight gradient, one thread's half of the units
        gemm("f32", "nt", 64, 10, 128); // the output layer's forward on one thread's 64 rows (10 units: a partial panel)
        gemm("f64", "nn", 256, 256, 256);
        // a dense layer's forward step, Z = X·Wᵀ + b, A = f(Z): fused (Kernels.denseForward, the bias and f in the
        // product's epilogue) against the three steps apart (gemm, addRowVector, activate)
        for (String f : new String[] {"relu", "tanh"}) {
            for (int[] s : new int[][] {{128, 256, 784}, {64, 128, 256}}) {
                for (String how : new String[] {"fused", "apart"}) {
                    String name = "sdense-" + how + "-" + f + "-" + s[0] + "x" + s[1] + "x" + s[2];
                    CASES.put(name, new Case(name, "f32", "dense-" + how + "-" + f, s[0], s[1], s[2], 2.0 * s[0] * s[1] * s[2]));
                }
            }
        }
        CASES.put("dsyrk-442x193", new Case("dsyrk-442x193", "f64", "syrk", 442, 193, 0, 442.0 * 193 * 194));
        CASES.put("dcholesky-193", new Case("dcholesky-193", "f64", "cholesky", 193, 0, 0, 193.0 * 193 * 193 / 3));
        CASES.put("dcholesky-1024", new Case("dcholesky-1024", "f64", "cholesky", 1024, 0, 0, 1024.0 * 1024 * 1024 / 3));
        CASES.put("sadam-235146", new Case("sadam-235146", "f32", "adam", 235146, 0, 0, 235146.0 * 12));
        CASES.put("smomentum-235146", new Case("smomentum-235146", "f32", "momentum", 235146, 0, 0, 235146.0 * 4));
        CASES.put("srmsprop-235146", new Case("srmsprop-235146", "f32", "rmsprop", 235146, 0, 0, 235146.0 * 8));
        CASES.put("srelu-128x256", new Case("srelu-128x256", "f32", "relu", 128, 256, 0, 128.0 * 256));
        CASES.put("sreluback-128x256", new Case("sreluback-128x256", "f32", "reluback", 128, 256, 0, 128.0 * 256));
        CASES.put("stanh-128x256", new Case("stanh-128x256", "f32", "tanh", 128, 256, 0, 128.0 * 256));
        // W1's output layer on a batch: softmax of 128 rows of 10 logits, and the cross-entropy from the logits
        CASES.put("ssoftmax-128x10", new Case("ssoftmax-128x10", "f32", "softmax", 128, 10, 0, 128.0 * 10));
        CASES.put("ssoftmaxce-128x10", new Case("ssoftmaxce-128x10", "f32", "softmaxce", 128, 10, 0, 128.0 * 10));
        CASES.put("sbias-128x256", new Case("sbias-128x256", "f32", "bias", 128, 256, 0, 128.0 * 256));
        CASES.put("ssumrows-128x256", new Case("ssumrows-128x256", "f32", "sumrows", 128, 256, 0, 128.0 * 256));
        // a batch of W1's inputs stored as bytes (128 images of 784 pixels), widened to float32 row by row
        CASES.put("swiden-128x784", new Case("swiden-128x784", "f32", "widen", 128, 784, 0, 128.0 * 784));
        CASES.put("saxpy-235146", new Case("saxpy-235146", "f32", "axpy", 235146, 0, 0, 2 * 235146.0));
        CASES.put("sdot-235146", new Case("sdot-235146", "f32", "dot", 235146, 0, 0, 2 * 235146.0));
    }

    /** {@code scalar} (the reference) or {@code preferred} (what Kernels.preferred chose: vector when enabled). */
    @Param({"scalar", "preferred"})
    public String kernels;

    /** A key of {@link #CASES}; overridden by {@code bench/run kernels --cases}. */
    @Param({"sgemm-nt-128x256x784"})
    public String kase;

    private Runnable call;
    private double sink;

    @Setup(Level.Trial)
    public void setUp() {
        Case c = CASES.get(kase);
        if (c == null) {
            throw new IllegalArgumentException("unknown case " + kase + "; known: " + CASES.keySet());
        }
        Precision p = c.precision().equals("f32") ? Precision.FLOAT32 : Precision.FLOAT64;
        Kernels k = kernels.equals("scalar") ? Kernels.scalar(p) : Kernels.preferred(p);
        Rng rng = new Rng(42);
        int m = c.m(), n = c.n(), kk = c.k();
        switch (c.op()) {
            case "gemm-nn", "gemm-nt", "gemm-tn" -> {
                boolean ta = c.op().equals("gemm-tn"), tb = c.op().equals("gemm-nt");
                Vec a = random(k, m * kk, rng), b = random(k, kk * n, rng), out = k.allocate(m * n);
                call = () -> k.gemm(ta, tb, m, n, kk, 1.0, a, b, 0.0, out);
            }
            case "dense-fused-relu", "dense-fused-tanh", "dense-apart-relu", "dense-apart-tanh" -> {
                Vec x = random(k, m * kk, rng), w = random(k, n * kk, rng), b = random(k, n, rng);
                Vec z = k.allocate(m * n), a = k.allocate(m * n);
                Activation f = c.op().endsWith("relu") ? Activation.relu() : Activation.tanh();
                if (c.op().startsWith("dense-fused")) {
                    call = () -> k.denseForward(m, n, kk, x, w, b, f, z, a, n);
                } else {
                    call = () -> {
                        k.gemm(false, true, m, n, kk, 1.0, x, w, 0.0, z);
                        k.addRowVector(b, z, m, n);
                        k.activate(f, z, a, m, n);
                    };
                }
            }
            case "syrk" -> {
                Vec a = random(k, m * n, rng), out = k.allocate(n * n);
                call = () -> k.syrk(m, n, 1.0, a, 0.0, out);
            }
            case "cholesky" -> {
                Vec a = random(k, m * m, rng), spd = k.allocate(m * m), r = k.allocate(m * m);
                k.syrk(m, m, 1.0 / m, a, 0.0, spd);
                call = () -> sink += k.cholesky(m, 1.0, spd, r) ? 1 : 0;
            }
            case "adam" -> {
                Vec t = random(k, m, rng), g = random(k, m, rng), mm = k.allocate(m), v = k.allocate(m);
                call = () -> k.adamStep(t, g, mm, v, 1e-9, 0.9, 0.999, 1e-8, 0.5, 0.5);
            }
            case "momentum" -> {
                Vec t = random(k, m, rng), g = random(k, m, rng), b = random(k, m, rng);
                call = () -> k.momentumStep(t, g, b, 1e-9, 0.9, 0, true, false);
            }
            case "rmsprop" -> {
                Vec t = random(k, m, rng), g = random(k, m, rng), v = k.allocate(m), b = k.allocate(m);
                call = () -> k.rmspropStep(t, g, v, null, b, 1e-9, 0.99, 1e-8, 0.9);
            }
            case "relu", "tanh" -> {
                Vec z = random(k, m * n, rng), a = k.allocate(m * n);
                Activation f = c.op().equals("relu") ? Activation.relu() : Activation.tanh();
                call = () -> k.activate(f, z, a, m, n);
            }
            case "softmax" -> {
                Vec z = random(k, m * n, rng), a = k.allocate(m * n);
                call = () -> k.activate(Activation.softmax(), z, a, m, n);
            }
            case "softmaxce" -> {
                Vec z = random(k, m * n, rng), y = k.allocate(m * n);
                for (int r = 0; r < m; r++) {
                    y.set(r * n + rng.nextInt(n), 1.0);
                }
                call = () -> sink += k.softmaxCrossEntropy(z, y, m, n);
            }
            case "reluback" -> {
                Vec z = random(k, m * n, rng), a = k.allocate(m * n), g = random(k, m * n, rng), d = k.allocate(m * n);
                call = () -> k.activationBackward(Activation.relu(), z, a, g, d, m, n);
            }
            case "bias" -> {
                Vec x = random(k, m * n, rng), row = random(k, n, rng);
                call = () -> k.addRowVector(row, x, m, n);
            }
            case "sumrows" -> {
                Vec x = random(k, m * n, rng), out = k.allocate(n);
                call = () -> k.sumRows(1.0, x, m, n, out);
            }
            case "widen" -> {
                byte[] src = new byte[m * n];
                for (int i = 0; i < src.length; i++) {
                    src[i] = (byte) rng.nextInt(256);
                }
                Vec out = k.allocate(m * n);
                call = () -> {
                    for (int r = 0; r < m; r++) {
                        k.widenUnsignedBytes(src, r * n, out, r * n, n);
                    }
                };
            }
            case "axpy" -> {
                Vec x = random(k, m, rng), y = random(k, m, rng);
                call = () -> k.axpy(1e-9, x, y);
            }
            case "dot" -> {
                Vec x = random(k, m, rng), y = random(k, m, rng);
                call = () -> sink += k.dot(x, y);
            }
            default -> throw new IllegalStateException(c.op());
        }
    }

    private static Vec random(Kernels k, int n, Rng rng) {
        Vec v = k.allocate(n);
        for (int i = 0; i < n; i++) {
            v.set(i, rng.uniform(-1, 1));
        }
        return v;
    }

    @Benchmark
    public double run() {
        call.run();
        return sink;
    }
}
