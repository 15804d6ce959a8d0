package dev.backprop.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.Activation;
import dev.backprop.Cost;
import dev.backprop.Dataset;
import dev.backprop.Dense;
import dev.backprop.Network;
import dev.backprop.NetworkBuilder;
import dev.backprop.Precision;
import dev.backprop.Regularization;
import dev.backprop.kernel.Vec;
import dev.backprop.secondorder.BayesianRegularization;
import dev.backprop.secondorder.Iteration;
import dev.backprop.secondorder.Lbfgs;
import dev.backprop.secondorder.LevenbergMarquardt;
import dev.backprop.secondorder.Limits;
import dev.backprop.secondorder.Method;
import dev.backprop.secondorder.NetworkObjective;
import dev.backprop.secondorder.Newton;
import dev.backprop.secondorder.Result;
import dev.backprop.secondorder.SecondOrderTrainer;
import dev.backprop.secondorder.Stop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Second-order training of networks: the Gauss–Newton normal equations and the assembled Hessian against
 * differences, every method fitting a noisy sine in float64 and float32, frozen layers, L2, early stopping,
 * Bayesian regularization's effective parameters, stopping rules and the errors a user can meet.
 */
class SecondOrderNetworkTest {
    static final List<String> ALL = List.of("newton", "hessian_free", "bfgs", "lbfgs", "cg", "cgf", "cgp", "scg", "lm", "br");

    static Network sineNet(Precision precision, int hidden, long seed) {
        return Network.builder(1).precision(precision).dense(hidden, Activation.tanh()).dense(1, Activation.identity())
                .cost(Cost.quadratic()).build(seed);
    }

    /** Columns of the trainable parameters in the flat vector, in order. */
    static int[] trainableColumns(Network net) {
        List<Integer> cols = new ArrayList<>();
        for (Dense d : net.layers()) {
            if (!d.isFrozen()) {
                for (int i = 0; i < d.parameterCount(); i++) {
                    cols.add(d.offset() + i);
                }
            }
        }
        return cols.stream().mapToInt(Integer::intValue).toArray();
    }

    static Stream<Arguments> sumOfSquaresCosts() {
        return Stream.of(Arguments.of(Cost.quadratic(), Activation.sigmoid()), Arguments.of(Cost.quadratic(), Activation.identity()),
                Arguments.of(Cost.hellinger(), Activation.sigmoid()), Arguments.of(Cost.hellinger(), Activation.softmax()));
    }

    /**
     * JᵀJ against the Jacobian of the residuals ρ/√n taken by central differences of the network's outputs, and
     * Jᵀr against the backpropagated gradient; a frozen first layer is left out, the L2 penalty is added.
     */
    @ParameterizedTest(name = "{0} with {1} outputs")
    @MethodSource("sumOfSquaresCosts")
    void normalEquationsMatchTheJacobianByDifferences(Cost cost, Activation output) {
        Network net = Network.builder(3).precision(Precision.FLOAT64).dense(4, Activation.tanh()).dense(5, Activation.sigmoid())
                .dense(2, output).cost(cost).build(5);
        net.freeze(0);
        Dataset data = CostCatalog.dataFor(new CostCatalog.Pair(cost, output), 7, 3, 2, 9);
        double lambda = 0.02;
        Regularization reg = Regularization.l2(lambda);
        int[] cols = trainableColumns(net);
        int t = cols.length;
        assertEquals(t, net.trainableParameterCount());
        Vec jtj = Vec.allocate(Precision.FLOAT64, t * t);
        Vec jtr = Vec.allocate(Precision.FLOAT64, t);
        double value = net.normalEquations(data, reg, jtj, jtr);
        assertEquals(net.objective(data, reg), value, 1e-12);

        // the residuals themselves: ρ/√n, with ½‖r‖² the unpenalised J
        double[] r = new double[data.size() * net.outputs()];
        net.residuals(data, 1 / Math.sqrt(data.size()), r);
        double[][] byHand = residuals(net, data, cost);
        double half = 0;
        for (int i = 0; i < data.size(); i++) {
            for (int u = 0; u < net.outputs(); u++) {
                assertEquals(byHand[i][u] / Math.sqrt(data.size()), r[i * net.outputs() + u], 1e-12, "residual " + i + "," + u);
                half += 0.5 * r[i * net.outputs() + u] * r[i * net.outputs() + u];
            }
        }
        assertEquals(net.objective(data, Regularization.NONE), half, 1e-12);

        net.computeGradient(data, reg);
        double[] grad = net.gradient().toDoubleArray();
        for (int c = 0; c < t; c++) {
            assertEquals(grad[cols[c]], jtr.get(c), 1e-10, "Jᵀr[" + c + "]");
        }

        int n = data.size();
        int k = net.outputs();
        double[] theta = net.parameterArray();
        double[][] jac = new double[n * k][t];
        double h = 1e-6;
        for (int c = 0; c < t; c++) {
            double[] plus = theta.clone();
            double[] minus = theta.clone();
            plus[cols[c]] += h;
            minus[cols[c]] -= h;
            net.setParameters(plus);
            double[][] rp = residuals(net, data, cost);
            net.setParameters(minus);
            double[][] rm = residuals(net, data, cost);
            for (int i = 0; i < n; i++) {
                for (int u = 0; u < k; u++) {
                    jac[i * k + u][c] = (rp[i][u] - rm[i][u]) / (2 * h) / Math.sqrt(n);
                }
            }
        }
        net.setParameters(theta);
        boolean[] isWeight = new boolean[net.parameterCount()];
        for (Dense d : net.layers()) {
            for (int i = 0; i < d.inputs() * d.outputs(); i++) {
                isWeight[d.offset() + i] = true;
            }
        }
        for (int a = 0; a < t; a++) {
            for (int b = 0; b < t; b++) {
                double s = 0;
                for (double[] row : jac) {
                    s += row[a] * row[b];
                }
                if (a == b && isWeight[cols[a]]) {
                    s += lambda;
                }
                assertEquals(s, jtj.get(a * t + b), 1e-7 * Math.max(1, Math.abs(s)), "JᵀJ[" + a + "," + b + "]");
            }
        }
    }

    static double[][] residuals(Network net, Dataset data, Cost cost) {
        double[][] a = net.predict(data);
        double[][] r = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            double[] y = data.targetRow(i);
            r[i] = new double[a[i].length];
            for (int u = 0; u < a[i].length; u++) {
                r[i][u] = cost instanceof Cost.Hellinger ? Math.pow(2, 0.25) * (Math.sqrt(a[i][u]) - Math.sqrt(y[u])) : a[i][u] - y[u];
            }
        }
        return r;
    }

    static Stream<Arguments> pairsAndHidden() {
        List<Arguments> list = new ArrayList<>();
        for (CostCatalog.Pair pair : CostCatalog.validPairs()) {
            for (Activation hidden : CostCatalog.hiddenActivations()) {
                list.add(Arguments.of(pair, hidden));
            }
        }
        return list.stream();
    }

    /** The Hessian Newton's method assembles from R-operator products, against differences of the gradient. */
    @ParameterizedTest(name = "{0} hidden={1}")
    @MethodSource("pairsAndHidden")
    void assembledHessianMatchesDifferencesOfTheGradient(CostCatalog.Pair pair, Activation hidden) {
        Network net = Network.builder(3).precision(Precision.FLOAT64).dense(4, hidden).dense(3, pair.output()).cost(pair.cost()).build(17);
        Dataset data = CostCatalog.dataFor(pair, 5, 3, 3, 4);
        Regularization reg = Regularization.l2(0.05);
        NetworkObjective f = new NetworkObjective(net, data, reg);
        double[] x = f.point();
        int n = x.length;
        double[] hess = new double[n * n];
        Newton.hessian(f, x, hess);
        double eps = 1e-5;
        double[] gp = new double[n];
        double[] gm = new double[n];
        double scale = 0;
        double worst = 0;
        for (int j = 0; j < n; j++) {
            double[] plus = x.clone();
            double[] minus = x.clone();
            plus[j] += eps;
            minus[j] -= eps;
            f.valueAndGradient(plus, gp);
            f.valueAndGradient(minus, gm);
            for (int i = 0; i < n; i++) {
                double fd = (gp[i] - gm[i]) / (2 * eps);
                scale = Math.max(scale, Math.abs(fd));
                worst = Math.max(worst, Math.abs(fd - hess[i * n + j]));
            }
        }
        assertTrue(worst <= 1e-6 * Math.max(1, scale), "largest difference " + worst + " at scale " + scale);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(hess[i * n + j], hess[j * n + i], "symmetric");
            }
        }
    }

    static Stream<Arguments> methodsAndPrecisions() {
        List<Arguments> list = new ArrayList<>();
        for (String m : ALL) {
            list.add(Arguments.of(m, Precision.FLOAT64));
            list.add(Arguments.of(m, Precision.FLOAT32));
        }
        return list.stream();
    }

    /** y = sin(x) + N(0, 0.1²): the best possible MSE is 0.01; every method gets within 30% of it. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("methodsAndPrecisions")
    void everyMethodFitsANoisySine(String name, Precision precision) {
        Dataset train = Problems.noisySine(200, 0.1, 1);
        Network net = sineNet(precision, 10, 7);
        double before = net.evaluate(train).mse();
        List<Iteration> seen = new ArrayList<>();
        List<Double> atListener = new ArrayList<>();
        Result r = new SecondOrderTrainer(Method.parse(name), Limits.defaults().withMaxIterations(200)).fit(net, train, null,
                Regularization.NONE, (record, n) -> {
                    seen.add(record);
                    atListener.add(n.objective(train, Regularization.NONE));
                });
        double after = net.evaluate(train).mse();
        assertTrue(before > 0.3, "starts far from the fit: " + before);
        assertTrue(after < 0.013, name + " " + precision + ": training MSE " + after + "; " + r.message());
        assertTrue(Double.isFinite(r.value()));
        assertEquals(r.history(), seen, "the listener sees every iteration");
        if (!name.equals("br")) { // the listener sees the network at the iteration's point (BR's f is its own β·E_D + α·E_W)
            for (int i = 0; i < seen.size(); i++) {
                assertEquals(seen.get(i).value(), atListener.get(i), 1e-6 * Math.abs(seen.get(i).value()), "iteration " + i);
            }
        }
        assertEquals(0, r.history().getFirst().iteration());
        assertEquals(Method.parse(name).id(), r.method());
        assertEquals(r.reason().name().toLowerCase(), net.provenance().get("stop_reason"));
        assertTrue(net.provenance().get("optimizer").contains(Method.parse(name).getClass().getSimpleName()), net.provenance().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"newton", "hessian_free", "bfgs", "lbfgs", "cg", "scg", "lm", "br"})
    void frozenLayersStayBitIdentical(String name) {
        Dataset train = Problems.noisySine(100, 0.1, 3);
        Network net = Network.builder(1).precision(Precision.FLOAT64).dense(6, Activation.tanh()).dense(6, Activation.tanh())
                .dense(1, Activation.identity()).cost(Cost.quadratic()).build(11);
        net.freeze(0);
        Dense first = net.layer(0);
        double[] frozen = Arrays.copyOfRange(net.parameterArray(), first.offset(), first.offset() + first.parameterCount());
        double before = net.objective(train, Regularization.l2(1e-3));
        Result r = new SecondOrderTrainer(Method.parse(name), Limits.defaults().withMaxIterations(15)).fit(net, train, null,
                Regularization.l2(1e-3));
        double[] after = Arrays.copyOfRange(net.parameterArray(), first.offset(), first.offset() + first.parameterCount());
        assertArrayEquals(frozen, after, name + " moved a frozen layer");
        assertTrue(net.objective(train, Regularization.l2(1e-3)) < before, r.message());
    }

    @Test
    void l2PenaltyIsPartOfTheObjectiveLevenbergMarquardtMinimises() {
        Dataset train = Problems.noisySine(60, 0.1, 4);
        Regularization reg = Regularization.l2(0.01);
        Network lm = sineNet(Precision.FLOAT64, 5, 2);
        Network lbfgs = sineNet(Precision.FLOAT64, 5, 2);
        Limits limits = Limits.defaults().withMaxIterations(2000).withMinGradientNorm(1e-9);
        Result a = new SecondOrderTrainer(new LevenbergMarquardt(), limits).fit(lm, train, reg);
        Result b = new SecondOrderTrainer(new Lbfgs(), limits).fit(lbfgs, train, reg);
        // both reach a stationary point of the same penalised J: the gradient there includes λW
        lm.computeGradient(train, reg);
        assertTrue(norm(lm.gradient().toDoubleArray()) < 1e-6, a.message());
        assertEquals(a.value(), lm.objective(train, reg), 1e-12);
        assertTrue(b.value() > 0 && a.value() > 0);
        // without the penalty the weights would be larger
        Network free = sineNet(Precision.FLOAT64, 5, 2);
        new SecondOrderTrainer(new LevenbergMarquardt(), limits).fit(free, train, Regularization.NONE);
        assertTrue(free.penalty(Regularization.l2(1)) > lm.penalty(Regularization.l2(1)));
    }

    static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    @Test
    void maxFailStopsOnTheValidationLossAndKeepsTheBestPoint() {
        Dataset train = Problems.noisySine(25, 0.3, 5);
        Dataset validation = Problems.noisySine(200, 0.3, 6);
        Network net = sineNet(Precision.FLOAT64, 30, 3);
        Result r = new SecondOrderTrainer(new LevenbergMarquardt(), Limits.defaults().withMaxFail(6)).fit(net, train, validation,
                Regularization.NONE);
        assertEquals(Stop.VALIDATION, r.reason(), r.message());
        double best = r.history().stream().mapToDouble(Iteration::validationLoss).min().orElseThrow();
        assertEquals(best, net.objective(validation, Regularization.NONE), 1e-12, "the network holds the best validation point");
        // the last six iterations failed to improve on it
        List<Iteration> h = r.history();
        for (int i = h.size() - 6; i < h.size(); i++) {
            assertTrue(h.get(i).validationLoss() >= best);
        }
        assertTrue(r.message().contains("validation"), r.message());
        assertEquals(best, h.get(r.kept()).validationLoss(), "kept names the iteration returned");
    }

    /** With early stopping on, a run stopped by another rule also ends at its best validation point (as MATLAB's train). */
    @Test
    void theBestValidationPointIsKeptWhateverStopsTheRun() {
        Dataset train = Problems.noisySine(25, 0.3, 5);
        Dataset validation = Problems.noisySine(200, 0.3, 6);
        Network net = sineNet(Precision.FLOAT64, 30, 3);
        Result r = new SecondOrderTrainer(new LevenbergMarquardt(), Limits.defaults().withMaxFail(1000).withMaxIterations(60)).fit(net, train,
                validation, Regularization.NONE);
        assertEquals(Stop.MAX_ITERATIONS, r.reason(), r.message());
        double best = r.history().stream().mapToDouble(Iteration::validationLoss).min().orElseThrow();
        assertTrue(r.kept() < r.iterations(), "the fit overtrains 25 points, so the best is not the last: " + r.message());
        assertEquals(best, net.objective(validation, Regularization.NONE), 1e-12);
        assertTrue(r.message().contains("kept the point of lowest validation loss"), r.message());
        // without validation the last point is returned
        Network last = sineNet(Precision.FLOAT64, 30, 3);
        Result plain = new SecondOrderTrainer(new LevenbergMarquardt(), Limits.defaults().withMaxIterations(60)).fit(last, train, null,
                Regularization.NONE);
        assertEquals(plain.iterations(), plain.kept());
    }

    @Test
    void bayesianRegularizationStopsAtALossGoalForJ() {
        Dataset train = Problems.noisySine(100, 0.1, 7);
        Network net = sineNet(Precision.FLOAT64, 8, 4);
        double goal = 0.01; // J = MSE/2, so MSE 0.02: twice the noise variance
        Result r = new SecondOrderTrainer(new BayesianRegularization(), Limits.defaults()).fit(net, train, null, Regularization.NONE);
        Network goalNet = sineNet(Precision.FLOAT64, 8, 4);
        Result g = new SecondOrderTrainer(new BayesianRegularization(), Limits.defaults().withLossGoal(goal)).fit(goalNet, train, null,
                Regularization.NONE);
        assertEquals(Stop.LOSS_GOAL, g.reason(), g.message());
        assertTrue(goalNet.objective(train, Regularization.NONE) <= goal, g.message());
        assertTrue(g.iterations() < r.iterations(), g.message() + " vs " + r.message());
    }

    @Test
    void bayesianRegularizationReportsEffectiveParametersAndGeneralises() {
        Dataset train = Problems.noisySine(30, 0.3, 7);
        Dataset test = Problems.noisySine(1000, 0.3, 8);
        Network br = sineNet(Precision.FLOAT64, 20, 4);
        Network lm = sineNet(Precision.FLOAT64, 20, 4);
        int p = br.parameterCount();
        Result rb = new SecondOrderTrainer(new BayesianRegularization(), Limits.defaults().withMaxIterations(300)).fit(br, train, null,
                Regularization.NONE);
        new SecondOrderTrainer(new LevenbergMarquardt(), Limits.defaults().withMaxIterations(300)).fit(lm, train, null, Regularization.NONE);
        double gamma = rb.last().info().get("effective_parameters");
        assertTrue(gamma > 2 && gamma < p / 2.0, "effective parameters " + gamma + " of " + p);
        assertTrue(rb.last().info().get("alpha") > 0 && rb.last().info().get("beta") > 0, rb.last().info().toString());
        // the unregularised fit chases the noise of 30 points; the evidence-regularised one does not
        double mseBr = br.evaluate(test).mse();
        double mseLm = lm.evaluate(test).mse();
        assertTrue(mseBr < mseLm, "test MSE BR " + mseBr + " vs LM " + mseLm);
        assertTrue(mseBr < 0.09 * 1.5, "BR test MSE " + mseBr + " (noise 0.09)");
        assertEquals("bayesian", br.provenance().get("regularization"));
    }

    @Test
    void stoppingRulesSayWhyTheyStopped() {
        Dataset train = Problems.noisySine(100, 0.1, 9);
        Result goal = new SecondOrderTrainer(new LevenbergMarquardt(), Limits.defaults().withLossGoal(0.05)).fit(sineNet(Precision.FLOAT64,
                8, 1), train, Regularization.NONE);
        assertEquals(Stop.LOSS_GOAL, goal.reason());
        assertTrue(goal.value() <= 0.05 && goal.history().get(goal.iterations() - 1).value() > 0.05, goal.message());
        Result iterations = new SecondOrderTrainer(new Lbfgs(), Limits.defaults().withMaxIterations(3)).fit(sineNet(Precision.FLOAT64, 8,
                1), train, Regularization.NONE);
        assertEquals(Stop.MAX_ITERATIONS, iterations.reason());
        assertEquals(3, iterations.iterations());
        Network net = sineNet(Precision.FLOAT64, 8, 1);
        Result gradient = new SecondOrderTrainer(new LevenbergMarquardt(), Limits.defaults().withMinGradientNorm(1e-3)).fit(net, train,
                Regularization.NONE);
        assertEquals(Stop.MIN_GRADIENT, gradient.reason());
        assertTrue(gradient.last().gradientNorm() <= 1e-3);
        // the norm the rule saw is the gradient at the point returned, not at the one before
        net.computeGradient(train, Regularization.NONE);
        assertEquals(norm(net.gradient().toDoubleArray()), gradient.last().gradientNorm(), 1e-12);
        assertEquals(net.objective(train, Regularization.NONE), gradient.value(), 1e-15);
        Result time = new SecondOrderTrainer(new Newton(), Limits.defaults().withTimeLimit(Duration.ofNanos(1))).fit(sineNet(
                Precision.FLOAT64, 8, 1), train, Regularization.NONE);
        assertEquals(Stop.TIME_LIMIT, time.reason());
        assertTrue(time.message().contains("time limit"), time.message());
    }

    @Test
    void sameSeedSameDataSameResult() {
        Dataset train = Problems.noisySine(150, 0.1, 10);
        for (String name : List.of("lm", "lbfgs", "newton")) {
            double[][] runs = new double[2][];
            for (int i = 0; i < 2; i++) {
                Network net = sineNet(Precision.FLOAT32, 8, 12);
                net.setThreads(2);
                new SecondOrderTrainer(Method.parse(name), Limits.defaults().withMaxIterations(20)).fit(net, train, Regularization.NONE);
                runs[i] = net.parameterArray();
            }
            assertArrayEquals(runs[0], runs[1], name);
        }
    }

    /** Split over threads, the normal equations and H·v are the one-thread results up to the order of the sums. */
    @Test
    void threadsGiveTheSameCurvatureUpToRounding() {
        Dataset data = Problems.noisySine(301, 0.1, 13);
        Network net = Network.builder(1).precision(Precision.FLOAT64).dense(7, Activation.tanh()).dense(5, Activation.sigmoid())
                .dense(1, Activation.identity()).cost(Cost.quadratic()).build(21);
        net.freeze(1);
        Regularization reg = Regularization.l2(0.01);
        int t = net.trainableParameterCount();
        double[][] jtjs = new double[3][];
        double[][] hvs = new double[3][];
        double[] v = new double[net.parameterCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.sin(i + 1.0);
        }
        int[] threads = {1, 2, 3};
        for (int run = 0; run < 3; run++) {
            net.setThreads(threads[run]);
            Vec jtj = Vec.allocate(Precision.FLOAT64, t * t);
            Vec jtr = Vec.allocate(Precision.FLOAT64, t);
            net.normalEquations(data, reg, jtj, jtr);
            jtjs[run] = jtj.toDoubleArray();
            Vec hv = Vec.allocate(Precision.FLOAT64, v.length);
            net.hessianVector(data, reg, Vec.of(Precision.FLOAT64, v), hv);
            hvs[run] = hv.toDoubleArray();
        }
        for (int run = 1; run < 3; run++) {
            for (int i = 0; i < jtjs[0].length; i++) {
                assertEquals(jtjs[0][i], jtjs[run][i], 1e-12 * Math.max(1, Math.abs(jtjs[0][i])), threads[run] + " threads JᵀJ[" + i + "]");
            }
            for (int i = 0; i < hvs[0].length; i++) {
                assertEquals(hvs[0][i], hvs[run][i], 1e-12 * Math.max(1, Math.abs(hvs[0][i])), threads[run] + " threads Hv[" + i + "]");
            }
        }
        // frozen layer 1: its entries of H·v stay exactly zero
        Dense frozen = net.layer(1);
        for (int i = frozen.offset(); i < frozen.offset() + frozen.parameterCount(); i++) {
            assertEquals(0.0, hvs[2][i]);
        }
    }

    @Test
    void levenbergMarquardtTrainsAHellingerNetwork() {
        Dataset data = CostCatalog.dataFor(new CostCatalog.Pair(Cost.hellinger(), Activation.softmax()), 40, 3, 3, 2);
        Network net = Network.builder(3).precision(Precision.FLOAT64).dense(6, Activation.tanh()).dense(3, Activation.softmax())
                .cost(Cost.hellinger()).build(3);
        double before = net.objective(data, Regularization.NONE);
        Result r = new SecondOrderTrainer(new LevenbergMarquardt(), Limits.defaults().withMaxIterations(500)).fit(net, data,
                Regularization.NONE);
        // random targets: the fit cannot be perfect, but it reaches a stationary point well below the start
        assertTrue(r.value() < 0.7 * before, r.message());
        assertTrue(r.last().gradientNorm() < 1e-4, r.message());
    }

    @Test
    void clearErrors() {
        Dataset labels = Dataset.ofLabels(new double[][] {{0, 1}, {1, 0}}, new int[] {0, 1}, 2);
        Network ce = Network.builder(2).dense(3, Activation.tanh()).dense(2, Activation.softmax()).cost(Cost.crossEntropy()).build(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SecondOrderTrainer(new LevenbergMarquardt(), Limits.defaults()).fit(ce, labels, Regularization.NONE));
        assertTrue(e.getMessage().contains("cross_entropy") && e.getMessage().contains("lbfgs"), e.getMessage());
        // L-BFGS takes the same network
        new SecondOrderTrainer(new Lbfgs(), Limits.defaults().withMaxIterations(2)).fit(ce, labels, Regularization.NONE);

        Dataset wide = Dataset.of(new double[][] {new double[1000]}, new double[][] {{0}});
        Network big = Network.builder(1000).dense(20, Activation.tanh()).dense(1, Activation.identity()).cost(Cost.quadratic()).build(1);
        e = assertThrows(IllegalArgumentException.class,
                () -> new SecondOrderTrainer(new LevenbergMarquardt(), Limits.defaults()).fit(big, wide, Regularization.NONE));
        assertTrue(e.getMessage().contains("20,041") && e.getMessage().contains("L-BFGS") && e.getMessage().contains("GiB"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new SecondOrderTrainer(new Newton(), Limits.defaults()).fit(big, wide, Regularization.NONE));
        assertTrue(e.getMessage().contains("hessian_free"), e.getMessage());

        Network frozen = sineNet(Precision.FLOAT64, 3, 1);
        frozen.freeze(0, 1);
        e = assertThrows(IllegalArgumentException.class, () -> new SecondOrderTrainer(new Lbfgs(), Limits.defaults()).fit(frozen,
                Problems.noisySine(5, 0.1, 1), Regularization.NONE));
        assertTrue(e.getMessage().contains("frozen"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> new SecondOrderTrainer(new LevenbergMarquardt(), Limits.defaults())
                .fit(sineNet(Precision.FLOAT64, 3, 1), Problems.noisySine(5, 0.1, 1), Regularization.l1(0.1)));
        assertTrue(e.getMessage().contains("L1"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Method.parse("lbgfs"));
        assertTrue(e.getMessage().contains("lbfgs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LevenbergMarquardt(1e-3, 1.5, 10, 1e10));
        assertTrue(e.getMessage().contains("mu_dec") && e.getMessage().contains("1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Lbfgs(0));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Limits.defaults().withMaxIterations(0));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
    }
}
