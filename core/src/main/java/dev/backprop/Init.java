package dev.backprop;

import dev.backprop.kernel.Vec;
import dev.backprop.util.Names;
import dev.backprop.util.Rng;
import java.util.List;

/**
 * How a layer's weights W (out×in) and biases b get their first values. Always drawn from an explicit seed
 * (see {@link NetworkBuilder#build(long)}); layers are initialised in order, each W row by row, then its b.
 *
 * <table class="striped">
 * <caption>Schemes (fan_in = inputs, fan_out = outputs of the layer)</caption>
 * <tr><th>name</th><th>W</th><th>b</th></tr>
 * <tr><td>pytorch_default (the default)</td><td>U(−1/√fan_in, 1/√fan_in)</td><td>U(−1/√fan_in, 1/√fan_in)</td></tr>
 * <tr><td>uniform(lo, hi)</td><td>U(lo, hi)</td><td>U(lo, hi)</td></tr>
 * <tr><td>xavier_uniform(gain)</td><td>U(±gain·√(6/(fan_in+fan_out)))</td><td>0</td></tr>
 * <tr><td>xavier_normal(gain)</td><td>N(0, gain²·2/(fan_in+fan_out))</td><td>0</td></tr>
 * <tr><td>he_uniform</td><td>U(±√(6/fan_in))</td><td>0</td></tr>
 * <tr><td>he_normal</td><td>N(0, 2/fan_in)</td><td>0</td></tr>
 * </table>
 * The default is what {@code torch.nn.Linear} does; Xavier/Glorot and He/Kaiming follow
 * {@code torch.nn.init} (He with the ReLU gain √2, fan-in mode), with zero biases as Keras does.
 */
public sealed interface Init {

    /** The name used in model files and on the command line. */
    String id();

    /** Draws the initial values of one layer's weights and biases. */
    void initialize(Vec weights, Vec biases, int fanIn, int fanOut, Rng rng);

    /** PyTorch's {@code nn.Linear} default: W and b uniform in ±1/√fan_in. */
    record PyTorchDefault() implements Init {
        public String id() { return "pytorch_default"; }
        public void initialize(Vec w, Vec b, int fanIn, int fanOut, Rng rng) {
            double bound = 1.0 / Math.sqrt(fanIn);
            fillUniform(w, -bound, bound, rng);
            fillUniform(b, -bound, bound, rng);
        }
    }

    /**
     * Weights and biases uniform in [lo, hi): the classic scheme, e.g. [0, 1] for the single-weight example.
     */
    record Uniform(double lo, double hi) implements Init {
        public Uniform {
            if (!Double.isFinite(lo) || !Double.isFinite(hi) || lo > hi) {
                throw new IllegalArgumentException("uniform init needs finite lo <= hi, got [" + lo + ", " + hi + "]");
            }
        }
        public String id() { return "uniform"; }
        public void initialize(Vec w, Vec b, int fanIn, int fanOut, Rng rng) {
            fillUniform(w, lo, hi, rng);
            fillUniform(b, lo, hi, rng);
        }
    }

    /** Glorot &amp; Bengio (2010), uniform: W ~ U(±gain·√(6/(fan_in+fan_out))), b = 0. */
    record XavierUniform(double gain) implements Init {
        public XavierUniform {
            checkGain(gain);
        }
        public String id() { return "xavier_uniform"; }
        public void initialize(Vec w, Vec b, int fanIn, int fanOut, Rng rng) {
            double bound = gain * Math.sqrt(6.0 / (fanIn + fanOut));
            fillUniform(w, -bound, bound, rng);
            fillZero(b);
        }
    }

    /** Glorot &amp; Bengio (2010), normal: W ~ N(0, gain²·2/(fan_in+fan_out)), b = 0. */
    record XavierNormal(double gain) implements Init {
        public XavierNormal {
            checkGain(gain);
        }
        public String id() { return "xavier_normal"; }
        public void initialize(Vec w, Vec b, int fanIn, int fanOut, Rng rng) {
            fillNormal(w, gain * Math.sqrt(2.0 / (fanIn + fanOut)), rng);
            fillZero(b);
        }
    }

    /** He et al. (2015), uniform, fan-in mode, ReLU gain: W ~ U(±√(6/fan_in)), b = 0. */
    record HeUniform() implements Init {
        public String id() { return "he_uniform"; }
        public void initialize(Vec w, Vec b, int fanIn, int fanOut, Rng rng) {
            double bound = Math.sqrt(6.0 / fanIn);
            fillUniform(w, -bound, bound, rng);
            fillZero(b);
        }
    }

    /** He et al. (2015), normal, fan-in mode, ReLU gain: W ~ N(0, 2/fan_in), b = 0. */
    record HeNormal() implements Init {
        public String id() { return "he_normal"; }
        public void initialize(Vec w, Vec b, int fanIn, int fanOut, Rng rng) {
            fillNormal(w, Math.sqrt(2.0 / fanIn), rng);
            fillZero(b);
        }
    }

    static Init pytorchDefault() { return new PyTorchDefault(); }
    static Init uniform(double lo, double hi) { return new Uniform(lo, hi); }
    static Init xavierUniform() { return new XavierUniform(1.0); }
    static Init xavierNormal() { return new XavierNormal(1.0); }
    static Init heUniform() { return new HeUniform(); }
    static Init heNormal() { return new HeNormal(); }

    /** The names {@link #parse(String)} accepts. */
    static List<String> names() {
        return List.of("pytorch_default", "uniform", "xavier_uniform", "xavier_normal", "he_uniform", "he_normal");
    }

    /**
     * The scheme with this name and default parameters ({@code uniform} is U(−0.5, 0.5); also accepted:
     * {@code glorot_uniform}, {@code glorot_normal}, {@code kaiming_uniform}, {@code kaiming_normal}).
     */
    static Init parse(String name) {
        return switch (Names.normalise(name)) {
            case "pytorch_default", "default" -> pytorchDefault();
            case "uniform" -> uniform(-0.5, 0.5);
            case "xavier_uniform", "glorot_uniform", "xavier", "glorot" -> xavierUniform();
            case "xavier_normal", "glorot_normal" -> xavierNormal();
            case "he_uniform", "kaiming_uniform", "he", "kaiming" -> heUniform();
            case "he_normal", "kaiming_normal" -> heNormal();
            default -> throw new IllegalArgumentException("unknown initialisation '" + name + "'"
                    + Names.suggestion(name, names()) + "; known: " + String.join(", ", names()));
        };
    }

    private static void checkGain(double gain) {
        if (!(gain > 0) || Double.isInfinite(gain)) {
            throw new IllegalArgumentException("init gain must be a positive number, got " + gain);
        }
    }

    private static void fillUniform(Vec v, double lo, double hi, Rng rng) {
        for (int i = 0; i < v.length(); i++) {
            v.set(i, rng.uniform(lo, hi));
        }
    }

    private static void fillZero(Vec v) {
        for (int i = 0; i < v.length(); i++) {
            v.set(i, 0.0);
        }
    }

    private static void fillNormal(Vec v, double std, Rng rng) {
        for (int i = 0; i < v.length(); i++) {
            v.set(i, std * rng.nextGaussian());
        }
    }
}
