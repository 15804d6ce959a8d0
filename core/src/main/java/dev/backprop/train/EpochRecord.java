package dev.backprop.train;

import java.util.Locale;

/**
 * What one epoch of training did. Training figures are running figures over the epoch's batches (the weights
 * change during the epoch, as in Keras); validation figures are measured at the end of the epoch. Metrics that
 * do not apply (accuracy for regression, R² for classification, anything about validation without validation
 * data) are NaN.
 *
 * @param epoch              epoch number, from 1
 * @param loss               training objective J, averaged over the epoch's examples
 * @param accuracy           training accuracy (classification)
 * @param mse                training mean squared error over all outputs
 * @param r2                 training R² (regression)
 * @param validationLoss     validation objective J at the end of the epoch
 * @param validationAccuracy validation accuracy (classification)
 * @param validationMse      validation mean squared error
 * @param validationR2       validation R² (regression)
 * @param gradientNorm       mean over the epoch's steps of ‖∂J/∂θ‖₂ (trainable parameters, before clipping)
 * @param learningRate       the learning rate used at the epoch's last step (NaN for second-order methods, which have none)
 * @param steps              updates made in this epoch
 * @param seconds            wall-clock seconds since training started, at the end of this epoch
 */
public record EpochRecord(int epoch, double loss, double accuracy, double mse, double r2,
                          double validationLoss, double validationAccuracy, double validationMse, double validationR2,
                          double gradientNorm, double learningRate, long steps, double seconds) {

    /** One line for logs. */
    public String summary() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "epoch %d: loss %.6g", epoch, loss));
        if (!Double.isNaN(accuracy)) {
            s.append(String.format(Locale.ROOT, ", accuracy %.4f", accuracy));
        } else if (!Double.isNaN(r2)) {
            s.append(String.format(Locale.ROOT, ", MSE %.4g, R² %.4f", mse, r2));
        }
        if (!Double.isNaN(validationLoss)) {
            s.append(String.format(Locale.ROOT, "; validation loss %.6g", validationLoss));
            if (!Double.isNaN(validationAccuracy)) {
                s.append(String.format(Locale.ROOT, ", accuracy %.4f", validationAccuracy));
            } else if (!Double.isNaN(validationR2)) {
                s.append(String.format(Locale.ROOT, ", MSE %.4g, R² %.4f", validationMse, validationR2));
            }
        }
        s.append(String.format(Locale.ROOT, "; |g| %.3g", gradientNorm));
        return Double.isNaN(learningRate) ? s.toString() : s.append(String.format(Locale.ROOT, ", lr %.3g", learningRate)).toString();
    }
}
