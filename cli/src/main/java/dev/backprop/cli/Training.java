package dev.backprop.cli;

import dev.backprop.optim.Adam;
import dev.backprop.optim.AdamW;
import dev.backprop.optim.Momentum;
import dev.backprop.optim.Nesterov;
import dev.backprop.optim.Optimizer;
import dev.backprop.optim.Quickprop;
import dev.backprop.optim.RmsProp;
import dev.backprop.optim.Rprop;
import dev.backprop.optim.Sgd;
import dev.backprop.secondorder.BayesianRegularization;
import dev.backprop.secondorder.Lbfgs;
import dev.backprop.secondorder.LevenbergMarquardt;
import dev.backprop.secondorder.Limits;
import dev.backprop.secondorder.Method;
import dev.backprop.train.GradientClipping;
import dev.backprop.train.LearningRateSchedule;
import dev.backprop.train.TrainingConfig;
import dev.backprop.util.Names;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The training options of {@code train}, and the {@link TrainingConfig} they make. */
final class Training {
    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adam",
            description = {"sgd, momentum, nesterov, adam, adamw, rmsprop, rprop, quickprop (default ${DEFAULT-VALUE}),",
                "or a second-order method on the full batch (float64 unless --precision says otherwise):",
                "lm, br, newton, hessian_free, bfgs, lbfgs, cg, cgf, cgp, scg"})
    String optimizer;

    @Option(names = {"--lr", "--learning-rate"}, paramLabel = "X", description = "learning rate (default: the optimizer's, PyTorch's)")
    Double lr;

    @Option(names = "--momentum", paramLabel = "X", description = "momentum of momentum, nesterov and rmsprop")
    Double momentum;

    @Option(names = "--dampening", paramLabel = "X", description = "dampening of momentum")
    Double dampening;

    @Option(names = "--beta1", paramLabel = "X", description = "Adam's beta1 (default 0.9)")
    Double beta1;

    @Option(names = "--beta2", paramLabel = "X", description = "Adam's beta2 (default 0.999)")
    Double beta2;

    @Option(names = "--eps", paramLabel = "X", description = "epsilon of Adam and RMSprop (default 1e-8)")
    Double eps;

    @Option(names = "--weight-decay", paramLabel = "X", description = "AdamW's decoupled weight decay (default 0.01)")
    Double weightDecay;

    @Option(names = "--alpha", paramLabel = "X", description = "RMSprop's smoothing constant (default 0.99)")
    Double alpha;

    @Option(names = "--centered", description = "centered RMSprop")
    boolean centered;

    @Option(names = "--mu", paramLabel = "X", description = "Quickprop's maximum growth factor (default 1.75); lm's and br's initial mu"
            + " (default 0.001 and 0.005)")
    Double mu;

    @Option(names = "--mu-dec", paramLabel = "X", description = "lm and br: mu's factor after a step that lowers the loss (default 0.1)")
    Double muDec;

    @Option(names = "--mu-inc", paramLabel = "X", description = "lm and br: mu's factor after a step that does not (default 10)")
    Double muInc;

    @Option(names = "--mu-max", paramLabel = "X", description = "lm and br: give up when mu exceeds this (default 1e10)")
    Double muMax;

    @Option(names = "--history", paramLabel = "N", description = "lbfgs: the number of correction pairs kept (default 10)")
    Integer history;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "32", description = "examples per update: a number, 'online' (1) or 'full' (default ${DEFAULT-VALUE})")
    String batch;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "100",
            description = "maximum number of epochs (default ${DEFAULT-VALUE}; for a second-order method, iterations, default 1000)")
    int epochs;

    @Option(names = "--l2", paramLabel = "LAMBDA", defaultValue = "0", description = "L2 penalty (lambda/2)·sum W² (default ${DEFAULT-VALUE})")
    double l2;

    @Option(names = "--l1", paramLabel = "LAMBDA", defaultValue = "0", description = "L1 penalty lambda·sum |W| (default ${DEFAULT-VALUE})")
    double l1;

    @Option(names = "--schedule", paramLabel = "SPEC", defaultValue = "constant",
            description = "learning-rate schedule: constant, step:EVERY:GAMMA, exp:GAMMA, cosine[:MIN_FACTOR] (default ${DEFAULT-VALUE})")
    String schedule;

    @Option(names = "--warmup", paramLabel = "EPOCHS", defaultValue = "0", description = "linear warm-up epochs (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--clip-norm", paramLabel = "X", description = "clip the gradient to this norm")
    Double clipNorm;

    @Option(names = "--clip-value", paramLabel = "X", description = "clip every gradient entry to [-X, X]")
    Double clipValue;

    @Option(names = "--goal", paramLabel = "LOSS", description = "stop when the training loss reaches this")
    Double goal;

    @Option(names = "--min-grad", paramLabel = "X", description = "stop when the gradient norm falls to this")
    Double minGrad;

    @Option(names = "--time-limit", paramLabel = "TIME", description = "stop after this much time, e.g. 90s, 5m, 1h")
    String timeLimit;

    @Option(names = "--patience", paramLabel = "EPOCHS", defaultValue = "10",
            description = "early stopping: epochs without validation improvement before stopping, 0 for none (default ${DEFAULT-VALUE};"
                    + " second-order methods: max_fail, default 6)")
    int patience;

    @Option(names = "--validation", paramLabel = "FRACTION", defaultValue = "0.1",
            description = "fraction of the training data held out for validation (default ${DEFAULT-VALUE})")
    double validation;

    @Option(names = "--recover", description = "on divergence, restore the last good weights, halve the learning rate and carry on")
    boolean recover;

    @Option(names = "--no-shuffle", description = "visit the examples in file order every epoch")
    boolean noShuffle;

    @Option(names = "--threads", paramLabel = "N", description = "threads per update (default: one per processor; results are"
            + " reproducible for the same count)")
    Integer threads;

    /** The thread count to use. */
    int threads() {
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1) {
            throw new UserError("--threads must be at least 1, got " + n);
        }
        return n;
    }

    /** The training configuration these options describe. */
    TrainingConfig config(long seed, int trainSize) {
        TrainingConfig c = TrainingConfig.defaults().withOptimizer(optimizer()).withBatchSize(batchSize(trainSize)).withEpochs(epochs)
                .withL2(l2).withL1(l1).withSeed(seed).withShuffle(!noShuffle).withSchedule(schedule()).withRecovery(recover);
        if (clipNorm != null && clipValue != null) {
            throw new UserError("give --clip-norm or --clip-value, not both");
        }
        if (clipNorm != null) {
            c = c.withClipping(new GradientClipping.ByNorm(clipNorm));
        }
        if (clipValue != null) {
            c = c.withClipping(new GradientClipping.ByValue(clipValue));
        }
        if (goal != null) {
            c = c.withLossGoal(goal);
        }
        if (minGrad != null) {
            c = c.withMinGradientNorm(minGrad);
        }
        if (timeLimit != null) {
            c = c.withTimeLimit(duration(timeLimit));
        }
        return c.withPatience(patience);
    }

    int batchSize(int trainSize) {
        return switch (batch.toLowerCase(Locale.ROOT)) {
            case "full", "all" -> TrainingConfig.FULL_BATCH;
            case "online" -> 1;
            default -> {
                try {
                    int b = Integer.parseInt(batch);
                    if (b < 1) {
                        throw new UserError("--batch must be at least 1, got " + b);
                    }
                    yield b;
                } catch (NumberFormatException e) {
                    throw new UserError("--batch must be a number, 'online' or 'full', got '" + batch + "'");
                }
            }
        };
    }

    /** Whether {@code --optimizer} names a second-order method (trained by {@link SecondOrder}). */
    boolean secondOrder() {
        try {
            Method.parse(optimizer);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The second-order method named by {@code --optimizer}, with its options ({@code batchGiven}: --batch was on the command line). */
    Method method(boolean batchGiven) {
        Method m = Method.parse(optimizer);
        Method made = switch (m) {
            case LevenbergMarquardt l -> new LevenbergMarquardt(or(mu, l.mu()), or(muDec, l.muDec()), or(muInc, l.muInc()), or(muMax, l.muMax()));
            case BayesianRegularization b -> new BayesianRegularization(or(mu, b.mu()), or(muDec, b.muDec()), or(muInc, b.muInc()),
                    or(muMax, b.muMax()));
            case Lbfgs l -> new Lbfgs(history == null ? l.history() : history, l.c1(), l.c2());
            default -> m;
        };
        List<String> bad = new ArrayList<>();
        boolean lm = made instanceof LevenbergMarquardt || made instanceof BayesianRegularization;
        if (lr != null || momentum != null || dampening != null || beta1 != null || beta2 != null || eps != null || weightDecay != null
                || alpha != null || centered) {
            bad.add("first-order hyper-parameters (--lr, --momentum, --beta1, ...)");
        }
        if ((mu != null || muDec != null || muInc != null || muMax != null) && !lm) {
            bad.add("--mu/--mu-dec/--mu-inc/--mu-max");
        }
        if (history != null && !(made instanceof Lbfgs)) {
            bad.add("--history");
        }
        if (!schedule.equalsIgnoreCase("constant") || warmup > 0) {
            bad.add("--schedule/--warmup");
        }
        if (clipNorm != null || clipValue != null) {
            bad.add("--clip-norm/--clip-value");
        }
        if (recover) {
            bad.add("--recover");
        }
        if (batchGiven && !batch.equalsIgnoreCase("full") && !batch.equalsIgnoreCase("all")) {
            bad.add("--batch (second-order methods use the whole training set for every iteration)");
        }
        if (made instanceof BayesianRegularization && (l2 != 0 || l1 != 0)) {
            bad.add("--l2/--l1 (br estimates its own weight penalty)");
        }
        if (!bad.isEmpty()) {
            throw new UserError(String.join(", ", bad) + (bad.size() == 1 && !bad.getFirst().contains(",") ? " does" : " do") + " not apply to "
                    + made.id());
        }
        return made;
    }

    /**
     * The stopping rules of a second-order run: --epochs (iterations; 1000 unless given), --goal, --min-grad
     * (default 1e-7), --patience as max_fail (6 unless given; off without validation data), --time-limit.
     */
    Limits limits(boolean epochsGiven, boolean patienceGiven, boolean hasValidation) {
        Limits l = Limits.defaults();
        if (epochsGiven) {
            if (epochs < 1) {
                throw new UserError("--epochs must be at least 1, got " + epochs);
            }
            l = l.withMaxIterations(epochs);
        }
        if (goal != null) {
            l = l.withLossGoal(goal);
        }
        if (minGrad != null) {
            if (!(minGrad >= 0)) {
                throw new UserError("--min-grad must be >= 0, got " + minGrad);
            }
            l = l.withMinGradientNorm(minGrad);
        }
        if (patienceGiven) {
            if (patience < 0) {
                throw new UserError("--patience must be >= 0, got " + patience);
            }
            l = l.withMaxFail(patience);
        }
        if (!hasValidation) {
            l = l.withMaxFail(0);
        }
        if (timeLimit != null) {
            l = l.withTimeLimit(duration(timeLimit));
        }
        return l;
    }

    Optimizer optimizer() {
        Optimizer o;
        try {
            o = Optimizer.parse(optimizer);
        } catch (IllegalArgumentException e) {
            List<String> all = new ArrayList<>(Optimizer.names());
            all.addAll(Method.names());
            throw new UserError("unknown optimizer '" + optimizer + "'" + Names.suggestion(optimizer, all) + "; first-order: "
                    + String.join(", ", Optimizer.names()) + "; second-order (full batch): " + String.join(", ", Method.names()));
        }
        if (muDec != null || muInc != null || muMax != null || history != null) {
            throw new UserError("--mu-dec, --mu-inc, --mu-max and --history are options of the second-order methods lm, br and lbfgs,"
                    + " not of " + o.id());
        }
        Optimizer made = switch (o) {
            case Sgd s -> new Sgd(or(lr, s.learningRate()));
            case Momentum m -> new Momentum(or(lr, m.learningRate()), or(momentum, m.momentum()), or(dampening, m.dampening()));
            case Nesterov n -> new Nesterov(or(lr, n.learningRate()), or(momentum, n.momentum()));
            case Adam a -> new Adam(or(lr, a.learningRate()), or(beta1, a.beta1()), or(beta2, a.beta2()), or(eps, a.eps()));
            case AdamW a -> new AdamW(or(lr, a.learningRate()), or(beta1, a.beta1()), or(beta2, a.beta2()), or(eps, a.eps()),
                    or(weightDecay, a.weightDecay()));
            case RmsProp r -> new RmsProp(or(lr, r.learningRate()), or(alpha, r.alpha()), or(eps, r.eps()), or(momentum, r.momentum()), centered);
            case Rprop r -> new Rprop(or(lr, r.learningRate()));
            case Quickprop q -> new Quickprop(or(lr, q.learningRate()), or(mu, q.mu()));
        };
        String unused = unusedHyperParameters(made);
        if (!unused.isEmpty()) {
            throw new UserError(unused + " do" + (unused.contains(",") ? "" : "es") + " not apply to " + made.id());
        }
        return made;
    }

    private String unusedHyperParameters(Optimizer o) {
        java.util.List<String> bad = new java.util.ArrayList<>();
        boolean adam = o instanceof Adam || o instanceof AdamW;
        if (momentum != null && !(o instanceof Momentum || o instanceof Nesterov || o instanceof RmsProp)) {
            bad.add("--momentum");
        }
        if (dampening != null && !(o instanceof Momentum)) {
            bad.add("--dampening");
        }
        if ((beta1 != null || beta2 != null) && !adam) {
            bad.add("--beta1/--beta2");
        }
        if (eps != null && !(adam || o instanceof RmsProp)) {
            bad.add("--eps");
        }
        if (weightDecay != null && !(o instanceof AdamW)) {
            bad.add("--weight-decay (use --l2 for an L2 penalty)");
        }
        if ((alpha != null || centered) && !(o instanceof RmsProp)) {
            bad.add("--alpha/--centered");
        }
        if (mu != null && !(o instanceof Quickprop)) {
            bad.add("--mu");
        }
        return String.join(", ", bad);
    }

    LearningRateSchedule schedule() {
        String[] p = schedule.toLowerCase(Locale.ROOT).split(":");
        LearningRateSchedule s;
        try {
            s = switch (p[0]) {
                case "constant" -> new LearningRateSchedule.Constant();
                case "step" -> new LearningRateSchedule.StepDecay(p.length > 1 ? Integer.parseInt(p[1]) : 10, p.length > 2 ? Double.parseDouble(p[2]) : 0.1);
                case "exp", "exponential" -> new LearningRateSchedule.ExponentialDecay(p.length > 1 ? Double.parseDouble(p[1]) : 0.95);
                case "cosine" -> new LearningRateSchedule.CosineAnnealing(epochs, p.length > 1 ? Double.parseDouble(p[1]) : 0);
                default -> throw new UserError("unknown --schedule '" + schedule + "': use constant, step:EVERY:GAMMA, exp:GAMMA or cosine[:MIN_FACTOR]");
            };
        } catch (NumberFormatException e) {
            throw new UserError("--schedule '" + schedule + "': " + e.getMessage());
        }
        return warmup > 0 ? new LearningRateSchedule.Warmup(warmup, s) : s;
    }

    private static double or(Double v, double dflt) {
        return v == null ? dflt : v;
    }

    /** 90, 90s, 5m, 1h30m, 250ms. */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?").matcher(t);
        long millis = 0;
        int at = 0;
        while (m.find() && m.start() == at) {
            double v = Double.parseDouble(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            millis += (long) (v * switch (unit) {
                case "ms" -> 1;
                case "m" -> 60_000;
                case "h" -> 3_600_000;
                default -> 1000;
            });
            at = m.end();
        }
        if (at != t.length() || t.isEmpty() || millis <= 0) {
            throw new UserError("cannot read the time '" + text + "': write it like 90s, 5m, 1h30m or 250ms");
        }
        return Duration.ofMillis(millis);
    }
}
