#!/usr/bin/python3
"""The peers of backprop's diabetes benchmark (issue 4): scikit-learn's MLPRegressor(solver='lbfgs'),
PyTorch's LBFGS with the strong Wolfe line search, and scipy's least_squares(method='lm', analytic Jacobian,
max_nfev = the iteration limit), each fitting a
10-16-1 tanh network with the quadratic cost to scikit-learn's diabetes data (442 x 10, X and y standardised),
timing the optimisation alone inside this process. Writes the standardised data as CSV (so backprop trains on
exactly the same numbers) and one JSON record per peer and seed.

Run by dev.backprop.bench.Diabetes; by hand: /usr/bin/python3 diabetes_peers.py --data d.csv --out r.json
Needs Debian's python3-sklearn, python3-torch and python3-scipy.
"""
import argparse
import json
import time

import numpy as np


def load():
    from sklearn.datasets import load_diabetes
    x, y = load_diabetes(return_X_y=True)
    x = (x - x.mean(axis=0)) / x.std(axis=0)
    y = (y - y.mean()) / y.std()
    return x, y


def write_csv(path, x, y):
    with open(path, "w") as f:
        f.write(",".join([f"x{i + 1}" for i in range(x.shape[1])] + ["y"]) + "\n")
        for row, target in zip(x, y):
            f.write(",".join(repr(float(v)) for v in row) + "," + repr(float(target)) + "\n")


def mse(pred, y):
    return float(np.mean((np.asarray(pred).reshape(-1) - y) ** 2))


def sklearn_lbfgs(x, y, seed, iterations):
    import warnings
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPRegressor
    model = MLPRegressor(hidden_layer_sizes=(16,), activation="tanh", solver="lbfgs", max_iter=iterations, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        t0 = time.perf_counter()
        model.fit(x, y)
        seconds = time.perf_counter() - t0
    return mse(model.predict(x), y), seconds, int(model.n_iter_)


def torch_model(seed):
    import torch
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(10, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1)).double()


def torch_lbfgs(x, y, seed, iterations):
    import torch
    torch.set_num_threads(1)
    model = torch_model(seed)
    xt = torch.from_numpy(x)
    yt = torch.from_numpy(y).reshape(-1, 1)
    opt = torch.optim.LBFGS(model.parameters(), max_iter=iterations, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(xt), yt)
        loss.backward()
        return loss

    t0 = time.perf_counter()
    opt.step(closure)
    seconds = time.perf_counter() - t0
    state = opt.state[opt._params[0]]
    with torch.no_grad():
        return mse(model(xt).numpy(), y), seconds, int(state.get("n_iter", 0))


def scipy_lm(x, y, seed, evaluations):
    import torch
    from scipy.optimize import least_squares
    # the same initial weights as PyTorch's for this seed (PyTorch's default init), flattened
    model = torch_model(seed)
    w1 = model[0].weight.detach().numpy().copy()
    b1 = model[0].bias.detach().numpy().copy()
    w2 = model[2].weight.detach().numpy().copy()
    b2 = model[2].bias.detach().numpy().copy()
    theta0 = np.concatenate([w1.ravel(), b1, w2.ravel(), b2])

    def predict(theta):
        a = np.tanh(x @ theta[:160].reshape(16, 10).T + theta[160:176])
        return a @ theta[176:192] + theta[192]

    def residuals(theta):
        return predict(theta) - y

    def jacobian(theta):
        # analytic, so MINPACK's LM is not slowed by 193 extra evaluations per Jacobian (the strongest scipy setup)
        w2 = theta[176:192]
        h = np.tanh(x @ theta[:160].reshape(16, 10).T + theta[160:176])
        dh = (1 - h * h) * w2
        jac = np.empty((x.shape[0], 193))
        jac[:, :160] = (dh[:, :, None] * x[:, None, :]).reshape(x.shape[0], 160)
        jac[:, 160:176] = dh
        jac[:, 176:192] = h
        jac[:, 192] = 1
        return jac

    t0 = time.perf_counter()
    result = least_squares(residuals, theta0, jac=jacobian, method="lm", max_nfev=evaluations)
    seconds = time.perf_counter() - t0
    return mse(predict(result.x), y), seconds, int(result.nfev)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="where to write the standardised data (CSV)")
    parser.add_argument("--out", required=True, help="where to write the results (JSON)")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--iterations", type=int, default=500)
    args = parser.parse_args()
    x, y = load()
    write_csv(args.data, x, y)
    records = []
    peers = [("sklearn MLPRegressor lbfgs", lambda s: sklearn_lbfgs(x, y, s, args.iterations)),
             ("torch LBFGS strong_wolfe", lambda s: torch_lbfgs(x, y, s, args.iterations)),
             ("scipy least_squares lm", lambda s: scipy_lm(x, y, s, args.iterations))]
    import sklearn, scipy, torch
    versions = {"sklearn": sklearn.__version__, "scipy": scipy.__version__, "torch": torch.__version__, "numpy": np.__version__}
    for name, run in peers:
        run(0)  # warm-up, not recorded (imports, first-call overheads), as backprop warms its JIT
        for seed in range(args.seeds):
            m, seconds, count = run(seed)
            records.append({"name": name, "seed": seed, "mse": m, "seconds": seconds, "count": count})
    with open(args.out, "w") as f:
        json.dump({"examples": int(x.shape[0]), "features": int(x.shape[1]), "versions": versions, "records": records}, f, indent=1)


if __name__ == "__main__":
    main()
