#!/usr/bin/env python3
"""Generates testkit/src/test/resources/reference/torch.json: reference values computed by PyTorch (float64,
autograd) that backprop's tests compare against.

  * activations: f(z) and f'(z) on a grid, from torch.nn.functional;
  * costs: C(a, y) and dC/da for each of the seven costs, written as formulas and differentiated by autograd;
  * networks: J and dJ/dtheta (flat, backprop's layout: per layer W row-major, then b) for small networks;
  * trajectories: parameters after each of 5 full-batch steps of torch.optim optimizers.

Run with Debian's python3 and python3-torch:  /usr/bin/python3 testkit/src/test/python/torch_reference.py
The output is committed; rerun only when the cases change.
"""
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "reference", "torch.json")

ACT = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "leaky_relu": lambda z: F.leaky_relu(z, 0.01),
    "elu": lambda z: F.elu(z, 1.0),
    "softplus": lambda z: F.softplus(z, beta=1, threshold=1000),
    "identity": lambda z: z,
    "softmax": lambda z: torch.softmax(z, dim=-1),
    "gelu": lambda z: F.gelu(z, approximate="none"),
}


def cost_fn(name, tau=1.0):
    def quadratic(a, y):
        return 0.5 * ((a - y) ** 2).sum(-1)

    def xlogy(y, a):
        return torch.where(y == 0, torch.zeros_like(a), y * torch.log(a))

    def bce(a, y):
        return -(xlogy(y, a) + xlogy(1 - y, 1 - a)).sum(-1)

    def ce(a, y):
        return -xlogy(y, a).sum(-1)

    def kl(a, y):
        y_safe = torch.where(y == 0, torch.ones_like(y), y)  # keeps autograd away from 0 * log(0)
        return (torch.where(y == 0, torch.zeros_like(a), y * torch.log(y_safe / a))).sum(-1)

    def exponential(a, y):
        return tau * torch.exp(((a - y) ** 2).sum(-1) / tau)

    def hellinger(a, y):
        return ((torch.sqrt(a) - torch.sqrt(y)) ** 2).sum(-1) / math.sqrt(2)

    def itakura_saito(a, y):
        return (y / a - torch.log(y / a) - 1).sum(-1)

    return {"quadratic": quadratic, "binary_cross_entropy": bce, "cross_entropy": ce, "kullback_leibler": kl,
            "exponential": exponential, "hellinger": hellinger, "itakura_saito": itakura_saito}[name]


def activations():
    z = torch.linspace(-8, 8, 41)
    z = torch.cat([z, torch.tensor([-30.0, -12.5, -1e-3, 1e-3, 12.5, 30.0])])
    out = {}
    for name, f in ACT.items():
        if name == "softmax":
            zz = z.reshape(-1, 1)[:45].reshape(9, 5).clone().requires_grad_(True)
            a = f(zz)
            g = torch.linspace(-1, 1, 45).reshape(9, 5)
            (a * g).sum().backward()
            out[name] = {"z": zz.detach().tolist(), "a": a.detach().tolist(), "g": g.tolist(), "vjp": zz.grad.tolist()}
            continue
        zz = z.clone().requires_grad_(True)
        a = f(zz)
        a.sum().backward()
        out[name] = {"z": z.tolist(), "a": a.detach().tolist(), "da": zz.grad.tolist()}
    return out


def costs():
    rng = np.random.default_rng(1)
    cases = []
    for name in ["quadratic", "binary_cross_entropy", "cross_entropy", "kullback_leibler", "exponential", "hellinger", "itakura_saito"]:
        for tau in ([1.0, 2.5] if name == "exponential" else [1.0]):
            a = torch.tensor(rng.uniform(0.05, 0.95, size=(4, 3)), requires_grad=True)
            y = torch.tensor(rng.uniform(0.05, 0.95, size=(4, 3)))
            if name != "itakura_saito":
                y[0, 0] = 0.0  # the 0 ln 0 convention
            if name in ("cross_entropy", "kullback_leibler"):
                y = y / y.sum(-1, keepdim=True)
            c = cost_fn(name, tau)(a, y)
            c.sum().backward()
            cases.append({"cost": name, "tau": tau, "a": a.detach().tolist(), "y": y.tolist(), "value": c.detach().tolist(),
                          "grad": a.grad.tolist()})
    return cases


def fits(cost, out):
    unit = out in ("sigmoid", "softmax")
    positive = out in ("sigmoid", "softmax", "softplus")
    return {"quadratic": True, "exponential": True, "binary_cross_entropy": unit, "cross_entropy": out == "softmax",
            "kullback_leibler": out == "softmax", "hellinger": positive, "itakura_saito": positive}[cost]


def targets(rng, cost, out, n, k):
    if cost in ("quadratic", "exponential"):
        y = rng.uniform(0.05, 0.95, size=(n, k)) if out in ("sigmoid", "softmax") else rng.normal(0, 0.5, size=(n, k))
    else:
        y = rng.uniform(0.05, 0.95, size=(n, k))
    if out == "softmax" and cost in ("cross_entropy", "kullback_leibler"):
        y = y / y.sum(-1, keepdims=True)
    return torch.tensor(y)


def forward(params, x, sizes, acts):
    a = x
    at = 0
    for (fan_in, fan_out), act in zip(sizes, acts):
        w = params[at:at + fan_in * fan_out].reshape(fan_out, fan_in)
        at += fan_in * fan_out
        b = params[at:at + fan_out]
        at += fan_out
        a = ACT[act](a @ w.T + b)
    return a


def objective(params, x, y, sizes, acts, cost, l2, tau=1.0):
    a = forward(params, x, sizes, acts)
    j = cost_fn(cost, tau)(a, y).mean()
    at = 0
    for fan_in, fan_out in sizes:
        w = params[at:at + fan_in * fan_out]
        j = j + 0.5 * l2 * (w ** 2).sum()
        at += fan_in * fan_out + fan_out
    return j


def init(rng, sizes):
    chunks = []
    for fan_in, fan_out in sizes:
        bound = 1 / math.sqrt(fan_in)
        chunks.append(rng.uniform(-bound, bound, size=fan_in * fan_out))
        chunks.append(rng.uniform(-bound, bound, size=fan_out))
    return torch.tensor(np.concatenate(chunks))


def networks():
    rng = np.random.default_rng(2)
    outs = ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "identity", "softmax", "gelu"]
    cost_names = ["quadratic", "binary_cross_entropy", "cross_entropy", "kullback_leibler", "exponential", "hellinger", "itakura_saito"]
    specs = []
    for cost in cost_names:
        for out in outs:
            if fits(cost, out):
                specs.append((["tanh", "gelu", out], cost))
    for hidden in ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "identity", "gelu"]:
        specs.append(([hidden, hidden, "identity"], "quadratic"))
    cases = []
    for i, (acts, cost) in enumerate(specs):
        sizes = [(4, 5), (5, 5), (5, 3)]
        params = init(rng, sizes).requires_grad_(True)
        x = torch.tensor(rng.normal(size=(6, 4)))
        y = targets(rng, cost, acts[-1], 6, 3)
        l2 = 0.05 if i % 2 else 0.0
        j = objective(params, x, y, sizes, acts, cost, l2)
        j.backward()
        cases.append({"inputs": 4, "units": [s[1] for s in sizes], "activations": acts, "cost": cost, "l2": l2,
                      "params": params.detach().tolist(), "x": x.tolist(), "y": y.tolist(), "J": j.item(),
                      "grad": params.grad.tolist(),
                      "outputs": forward(params.detach(), x, sizes, acts).tolist()})
    return cases


def trajectories():
    rng = np.random.default_rng(3)
    sizes = [(3, 4), (4, 2)]
    acts = ["tanh", "identity"]
    p0 = init(rng, sizes)
    x = torch.tensor(rng.normal(size=(8, 3)))
    y = torch.tensor(rng.normal(size=(8, 2)))
    configs = [
        ("sgd", {"lr": 0.1}, 0.0),
        ("sgd", {"lr": 0.1}, 0.01),
        ("momentum", {"lr": 0.05, "momentum": 0.9, "dampening": 0.1}, 0.0),
        ("nesterov", {"lr": 0.05, "momentum": 0.9}, 0.0),
        ("adam", {"lr": 0.01, "betas": (0.9, 0.999), "eps": 1e-8}, 0.0),
        ("adamw", {"lr": 0.01, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.1}, 0.0),
        ("rmsprop", {"lr": 0.01, "alpha": 0.99, "eps": 1e-8, "momentum": 0.0, "centered": False}, 0.0),
        ("rmsprop", {"lr": 0.01, "alpha": 0.9, "eps": 1e-8, "momentum": 0.5, "centered": True}, 0.0),
        ("rprop", {"lr": 0.01, "etas": (0.5, 1.2), "step_sizes": (1e-6, 50)}, 0.0),
    ]
    cases = []
    for name, hyper, l2 in configs:
        params = p0.clone().requires_grad_(True)
        # separate tensors per layer so AdamW can skip the biases (backprop never decays biases)
        views = []
        at = 0
        tensors = []
        for fan_in, fan_out in sizes:
            w = p0[at:at + fan_in * fan_out].clone().requires_grad_(True)
            at += fan_in * fan_out
            b = p0[at:at + fan_out].clone().requires_grad_(True)
            at += fan_out
            tensors.append((w, b))
        weights = [w for w, _ in tensors]
        biases = [b for _, b in tensors]
        if name == "sgd":
            opt = torch.optim.SGD(weights + biases, lr=hyper["lr"])
        elif name == "momentum":
            opt = torch.optim.SGD(weights + biases, lr=hyper["lr"], momentum=hyper["momentum"], dampening=hyper["dampening"])
        elif name == "nesterov":
            opt = torch.optim.SGD(weights + biases, lr=hyper["lr"], momentum=hyper["momentum"], nesterov=True)
        elif name == "adam":
            opt = torch.optim.Adam(weights + biases, lr=hyper["lr"], betas=hyper["betas"], eps=hyper["eps"])
        elif name == "adamw":
            opt = torch.optim.AdamW([{"params": weights, "weight_decay": hyper["weight_decay"]},
                                     {"params": biases, "weight_decay": 0.0}], lr=hyper["lr"], betas=hyper["betas"], eps=hyper["eps"])
        elif name == "rmsprop":
            opt = torch.optim.RMSprop(weights + biases, lr=hyper["lr"], alpha=hyper["alpha"], eps=hyper["eps"],
                                      momentum=hyper["momentum"], centered=hyper["centered"])
        elif name == "rprop":
            opt = torch.optim.Rprop(weights + biases, lr=hyper["lr"], etas=hyper["etas"], step_sizes=hyper["step_sizes"])
        steps = []
        losses = []
        for _ in range(5):
            opt.zero_grad()
            flat = torch.cat([t.reshape(-1) for pair in tensors for t in pair])
            j = objective(flat, x, y, sizes, acts, "quadratic", l2)
            j.backward()
            losses.append(j.item())
            opt.step()
            steps.append(torch.cat([t.detach().reshape(-1) for pair in tensors for t in pair]).tolist())
        cases.append({"optimizer": name, "hyper": {k: (list(v) if isinstance(v, tuple) else v) for k, v in hyper.items()},
                      "l2": l2, "params0": p0.tolist(), "x": x.tolist(), "y": y.tolist(), "losses": losses, "steps": steps})
    return cases


def main():
    doc = {"generator": "testkit/src/test/python/torch_reference.py", "torch": torch.__version__,
           "activations": activations(), "costs": costs(), "networks": networks(), "trajectories": trajectories()}
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print("wrote", os.path.normpath(OUT), file=sys.stderr)


if __name__ == "__main__":
    main()
