package dev.backprop.bench;

import java.util.Arrays;

/**
 * Entry point of the benchmarks: {@code bench/run <name> [options]}. Each benchmark runs backprop and its peers
 * in the same run, on the same data, and reports medians and ratios. Exit status 0 on success, 2 for a usage
 * error, 1 when a benchmark could not run.
 */
public final class Bench {
    private Bench() {
    }

    /** The whole number an option was given, or a one-line error naming the option and the value. */
    static int integer(String option, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, got '" + v + "'");
        }
    }

    public static void main(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println("usage: bench/run diabetes [--seeds N] [--iterations N] [--threads N] [--no-peers] [--data FILE.csv] [--python PATH]"
                    + " [--json FILE]");
            System.out.println("       bench/run w1 [--epochs N] [--threads N] [--batch N] [--torch-threads N] [--no-peers] [--data DIR]"
                    + " [--python PATH] [--json FILE] [--openblas-coretype NAME|default] [--torch-denormals flush|keep]");
            System.out.println("       bench/run kernels [--cases A,B,...] [--quick] [--json FILE] [--backend vector|blas]");
            System.out.println("       bench/run cores [--products N]");
            System.out.println("       bench/run scaling [--pairs N] [--epochs N] [--threads N] [--data DIR]");
            System.out.println("  diabetes  second-order training of a 10-16-1 tanh network on scikit-learn's diabetes data (442 x 10),");
            System.out.println("            beside scikit-learn's MLPRegressor(lbfgs), PyTorch's LBFGS and scipy's least_squares(lm)");
            System.out.println("  w1        Fashion-MNIST, 784-256-128-10 ReLU, softmax + cross-entropy, float32, Adam lr 1e-3, batch 128,");
            System.out.println("            10 epochs: seconds per epoch, test accuracy after epochs 1, 5 and 10 and peak memory, beside PyTorch");
            System.out.println("            (the peer's OpenBLAS gets OPENBLAS_CORETYPE=SkylakeX on AVX-512 CPUs, Haswell on AVX2 ones: its fastest;");
            System.out.println("            'default' leaves OpenBLAS its own choice)");
            System.out.println("  kernels   JMH: every kernel case, scalar reference against the Vector API backend, with GFLOP/s and the");
            System.out.println("            fraction of this core's FMA peak (measured in the same run)");
            System.out.println("  cores     what a second core adds: the FMA peak of two threads against one, and W1's first weight gradient");
            System.out.println("            split over two threads, on clean inputs and on inputs each thread has just rewritten by rows");
            System.out.println("  scaling   W1's speed-up from 1 thread to N: pairs of fresh w1 --no-peers processes, 1 thread then N, each pair's");
            System.out.println("            ratio of median epochs and the median over the pairs (default 4 pairs of 10 epochs)");
            System.exit(args.length == 0 ? 2 : 0);
        }
        int status;
        try {
            status = switch (args[0]) {
                case "diabetes" -> Diabetes.run(Diabetes.Options.parse(Arrays.copyOfRange(args, 1, args.length)), System.out);
                case "w1" -> W1.run(W1.Options.parse(Arrays.copyOfRange(args, 1, args.length)), System.out);
                case "kernels" -> KernelsBench.run(KernelsBench.Options.parse(Arrays.copyOfRange(args, 1, args.length)), System.out);
                case "cores" -> Cores.run(Cores.Options.parse(Arrays.copyOfRange(args, 1, args.length)), System.out);
                case "scaling" -> Scaling.run(Scaling.Options.parse(Arrays.copyOfRange(args, 1, args.length)), System.out);
                default -> throw new IllegalArgumentException("unknown benchmark '" + args[0] + "'; known: diabetes, w1, kernels, cores, scaling");
            };
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            status = 2;
        } catch (BenchmarkException e) {
            System.err.println("bench: " + e.getMessage());
            status = 1;
        }
        System.exit(status);
    }
}
