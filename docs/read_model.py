#!/usr/bin/env python3
"""Reads a backprop model file (docs/model-format.md) and runs its forward pass, with nothing but the
standard library. Usage: python3 read_model.py model.json 0.5 1.0 ...   (one value per input)"""
import json
import math
import sys

ACTIVATIONS = {
    "sigmoid": lambda z, p: 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z)),
    "tanh": lambda z, p: math.tanh(z),
    "relu": lambda z, p: max(z, 0.0),
    "leaky_relu": lambda z, p: z if z > 0 else p.get("negative_slope", 0.01) * z,
    "elu": lambda z, p: z if z > 0 else p.get("alpha", 1.0) * math.expm1(z),
    "softplus": lambda z, p: max(z, 0.0) + math.log1p(math.exp(-abs(z))),
    "identity": lambda z, p: z,
    "gelu": lambda z, p: 0.5 * z * math.erfc(-z / math.sqrt(2)),
}


def load(path):
    with open(path, encoding="utf-8") as f:
        model = json.load(f)
    if model.get("format") != "backprop-model" or model.get("version") != 1:
        raise ValueError(f"{path}: not a version 1 backprop model")
    return model


def predict(model, x):
    scaling = model.get("input", {}).get("scaling")
    a = [(v - c) / s for v, c, s in zip(x, scaling["center"], scaling["scale"])] if scaling else list(x)
    for layer in model["layers"]:
        b = layer["b"] or [0.0] * layer["outputs"]
        z = [sum(w * v for w, v in zip(row, a)) + bias for row, bias in zip(layer["W"], b)]
        act = layer["activation"]
        if act["name"] == "softmax":
            m = max(z)
            e = [math.exp(v - m) for v in z]
            a = [v / sum(e) for v in e]
        else:
            a = [ACTIVATIONS[act["name"]](v, act) for v in z]
    return a


if __name__ == "__main__":
    print(" ".join(repr(v) for v in predict(load(sys.argv[1]), [float(v) for v in sys.argv[2:]])))
