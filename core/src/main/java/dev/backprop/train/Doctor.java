package dev.backprop.train;

import dev.backprop.Activation;
import dev.backprop.Network;
import dev.backprop.util.Numbers;
import java.util.List;
import java.util.Locale;

/**
 * Names the likely cause of a diverging run from the evidence of the failing step. The rules, in order:
 * <ol>
 * <li><b>bad input values</b> when the batch holds features or targets beyond ±1e4: nets train on values of
 * about unit scale;</li>
 * <li><b>learning rate too large</b> when the updates were big from the start: in the first steps a typical
 * update moved the weights by more than 10% of their norm (‖Δθ‖ &gt; 0.1·‖θ‖), or, with no history, the
 * failing update moved them by more than 50%;</li>
 * <li><b>exploding gradients</b> when the gradient norm had grown to over 1000 times its typical (median of
 * the first steps) size;</li>
 * <li><b>saturated units</b> when half or more of the units of a sigmoid, tanh or softmax layer sit where
 * their slope is below 1e−4 of its peak;</li>
 * <li>otherwise <b>learning rate too large</b>, the most common cause.</li>
 * </ol>
 */
public final class Doctor {
    private Doctor() {
    }

    static final double INPUT_LIMIT = 1e4;
    static final double BIG_STEP = 0.1;
    static final double HUGE_STEP = 0.5;
    static final double EXPLOSION = 1e3;
    static final double SATURATED = 0.5;

    /**
     * Everything known about the failing step.
     *
     * @param symptom             what was observed
     * @param step                update count (from 1) at which it showed
     * @param epoch               epoch from 1 (0 if not in an epoch loop)
     * @param batch               batch from 1 (0 if not in an epoch loop)
     * @param loss                the batch loss
     * @param bestLoss            the best smoothed loss so far (NaN if none)
     * @param learningRate        the rate of the failing step
     * @param gradientNorm        ‖g‖ at the failing step (may be NaN)
     * @param lastGoodGradientNorm ‖g‖ at the last good step (NaN if none)
     * @param typicalGradientNorm median ‖g‖ over the first good steps (NaN if none)
     * @param typicalStepRatio    median ‖Δθ‖/‖θ‖ of the updates of the first good steps (NaN if none)
     * @param lastUpdateRatio     ‖θ − θ_good‖/‖θ_good‖, how far the weights moved since the last good step
     * @param goodStep            the update count of the last good weights (0: the initial weights)
     * @param inspection          figures about the failing batch
     * @param activations         activation of each layer
     */
    public record Evidence(Diagnosis.Symptom symptom, long step, int epoch, int batch, double loss, double bestLoss,
                           double learningRate, double gradientNorm, double lastGoodGradientNorm, double typicalGradientNorm,
                           double typicalStepRatio, double lastUpdateRatio, long goodStep, Network.BatchInspection inspection,
                           List<Activation> activations) {
    }

    /** Applies the rules to the evidence. */
    public static Diagnosis diagnose(Evidence e) {
        Diagnosis.Cause cause;
        String why;
        String advice;
        Network.BatchInspection in = e.inspection();
        int saturatedLayer = mostSaturatedLayer(e);
        if (in != null && (in.maxAbsInput() > INPUT_LIMIT || in.maxAbsTarget() > INPUT_LIMIT)) {
            cause = Diagnosis.Cause.BAD_INPUT_VALUES;
            why = String.format(Locale.ROOT, "the batch has features up to |x| = %.3g and targets up to |y| = %.3g",
                    in.maxAbsInput(), in.maxAbsTarget());
            advice = "standardise the features (and regression targets) to about unit scale before training";
        } else if (e.typicalStepRatio() > BIG_STEP || (Double.isNaN(e.typicalStepRatio()) && e.lastUpdateRatio() > HUGE_STEP)) {
            cause = Diagnosis.Cause.LEARNING_RATE_TOO_LARGE;
            double ratio = Double.isNaN(e.typicalStepRatio()) ? e.lastUpdateRatio() : e.typicalStepRatio();
            why = String.format(Locale.ROOT, "each update moved the weights by about %s of their size at learning rate %s",
                    percent(ratio), num(e.learningRate()));
            advice = "lower the learning rate (try " + num(e.learningRate() / 10) + " or less), or turn on recovery to halve it automatically";
        } else if (e.lastGoodGradientNorm() > EXPLOSION * e.typicalGradientNorm()
                || (Double.isNaN(e.gradientNorm()) || Double.isInfinite(e.gradientNorm())) && !Double.isNaN(e.loss()) && !Double.isInfinite(e.loss())) {
            cause = Diagnosis.Cause.EXPLODING_GRADIENTS;
            why = String.format(Locale.ROOT, "the gradient norm grew to %s from a typical %s", num(e.lastGoodGradientNorm()),
                    num(e.typicalGradientNorm()));
            advice = "clip gradients by norm (GradientClipping.ByNorm), lower the learning rate, or use a smaller initialisation";
        } else if (saturatedLayer >= 0) {
            cause = Diagnosis.Cause.SATURATED_UNITS;
            why = String.format(Locale.ROOT, "%s of the units of layer %d (%s) are saturated (largest |z| %.3g)",
                    percent(in.saturatedFraction()[saturatedLayer]), saturatedLayer, e.activations().get(saturatedLayer).id(),
                    in.maxAbsPreActivation()[saturatedLayer]);
            advice = "scale the inputs, use a smaller initialisation or ReLU-family hidden units, or lower the learning rate";
        } else {
            cause = Diagnosis.Cause.LEARNING_RATE_TOO_LARGE;
            why = String.format(Locale.ROOT, "the updates overshot (the last one moved the weights by %s of their size at learning rate %s)",
                    percent(e.lastUpdateRatio()), num(e.learningRate()));
            advice = "lower the learning rate (try " + num(e.learningRate() / 10) + " or less), or turn on recovery to halve it automatically";
        }
        String where = e.epoch() > 0 ? " (epoch " + e.epoch() + ", batch " + e.batch() + ")" : "";
        String symptom = switch (e.symptom()) {
            case LOSS_NOT_FINITE -> "the loss became " + num(e.loss());
            case GRADIENT_NOT_FINITE -> "the gradient became " + num(e.gradientNorm()) + " while the loss was " + num(e.loss());
            case LOSS_ROSE -> "the loss rose to " + num(e.loss()) + ", far above its best " + num(e.bestLoss());
        };
        String kept = e.goodStep() == 0 ? "the initial weights were kept" : "the weights after step " + e.goodStep() + ", the last good ones, were kept";
        String message = "training diverged at step " + e.step() + where + ": " + symptom + ". Likely cause: " + cause.text()
                + ": " + why + ". What to do: " + advice + ". " + Character.toUpperCase(kept.charAt(0)) + kept.substring(1) + ".";
        return new Diagnosis(e.symptom(), cause, e.step(), e.epoch(), e.batch(), e.loss(), message);
    }

    private static int mostSaturatedLayer(Evidence e) {
        if (e.inspection() == null) {
            return -1;
        }
        int best = -1;
        double[] f = e.inspection().saturatedFraction();
        for (int l = 0; l < f.length; l++) {
            Activation a = e.activations().get(l);
            boolean saturable = a instanceof Activation.Sigmoid || a instanceof Activation.Tanh || a instanceof Activation.Softmax;
            if (saturable && f[l] >= SATURATED && (best < 0 || f[l] > f[best])) {
                best = l;
            }
        }
        return best;
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * ratio);
    }

    private static String num(double v) {
        return Numbers.format(v);
    }
}
