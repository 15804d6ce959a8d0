#!/usr/bin/python3
"""The PyTorch peer of backprop's W1 benchmark (issue 5): a 784-256-128-10 ReLU network (nn.Linear's default
initialisation), softmax + cross-entropy (nn.CrossEntropyLoss on the logits), float32, torch.optim.Adam(lr=1e-3,
PyTorch's defaults otherwise), mini-batches of 128 reshuffled every epoch from a fixed seed, trained on all
60,000 Fashion-MNIST training images (divided by 255) and evaluated on the 10,000 test images after the epochs
named by --eval. Each epoch's training is timed alone (no data loading, no evaluation) inside this process.
Prints one JSON object on standard output.

Run by dev.backprop.bench.W1; by hand: /usr/bin/python3 w1_torch.py --train-images F --train-labels F
--test-images F --test-labels F [--epochs 10] [--eval 1,5,10] [--torch-threads 1] [--seed 1]
Needs Debian's python3-torch (which brings numpy).
"""
import argparse
import ctypes
import gzip
import json
import platform
import resource
import struct
import sys
import time

import numpy as np


def read_idx(path):
    """An IDX file of unsigned bytes (gzipped or not) as a numpy array of its dimensions."""
    with open(path, "rb") as f:
        gz = f.read(2) == b"\x1f\x8b"
    with (gzip.open(path, "rb") if gz else open(path, "rb")) as f:
        data = f.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise SystemExit(f"{path}: not an IDX file of unsigned bytes")
    ndims = data[3]
    dims = struct.unpack(">" + "I" * ndims, data[4:4 + 4 * ndims])
    values = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndims)
    if values.size != int(np.prod(dims)):
        raise SystemExit(f"{path}: the header promises {dims} but the file holds {values.size} values")
    return values.reshape(dims)


def openblas():
    """OpenBLAS's configuration, kernel core and thread count, read from the library torch loaded (or None)."""
    try:
        with open("/proc/self/maps") as f:
            libs = sorted({line.split()[-1] for line in f if "libopenblas" in line})
        if not libs:
            return None
        lib = ctypes.CDLL(libs[0])
        lib.openblas_get_config.restype = ctypes.c_char_p
        lib.openblas_get_corename.restype = ctypes.c_char_p
        return {"config": lib.openblas_get_config().decode(), "core": lib.openblas_get_corename().decode(),
                "threads": int(lib.openblas_get_num_threads())}
    except (OSError, AttributeError):
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train-images", required=True)
    parser.add_argument("--train-labels", required=True)
    parser.add_argument("--test-images", required=True)
    parser.add_argument("--test-labels", required=True)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--eval", default="1,5,10", help="epochs after which the test accuracy is measured")
    parser.add_argument("--torch-threads", type=int, default=1)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--flush-denormal", action="store_true",
                        help="torch.set_flush_denormal(True): subnormal numbers become 0 (faster on x86)")
    args = parser.parse_args()
    checkpoints = sorted({int(e) for e in args.eval.split(",") if e})

    import torch
    from torch import nn

    torch.set_num_threads(args.torch_threads)
    flushing = bool(torch.set_flush_denormal(True)) if args.flush_denormal else False
    train_images = read_idx(args.train_images)
    train_labels = read_idx(args.train_labels)
    test_images = read_idx(args.test_images)
    test_labels = read_idx(args.test_labels)
    n = train_images.shape[0]
    x = torch.from_numpy(train_images.reshape(n, -1).astype(np.float32) / np.float32(255))
    y = torch.from_numpy(train_labels.astype(np.int64))
    xt = torch.from_numpy(test_images.reshape(test_images.shape[0], -1).astype(np.float32) / np.float32(255))
    yt = torch.from_numpy(test_labels.astype(np.int64))
    if x.shape[1] != 784:
        raise SystemExit(f"{args.train_images}: images of {x.shape[1]} pixels; W1 needs 28 x 28 = 784")

    torch.manual_seed(args.seed)
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    loss_fn = nn.CrossEntropyLoss()
    shuffle = torch.Generator()
    shuffle.manual_seed(args.seed)

    seconds = []
    accuracy = []
    for epoch in range(1, args.epochs + 1):
        model.train()
        t0 = time.perf_counter()
        order = torch.randperm(n, generator=shuffle)
        for start in range(0, n, args.batch):
            batch = order[start:start + args.batch]
            optimizer.zero_grad()
            loss = loss_fn(model(x[batch]), y[batch])
            loss.backward()
            optimizer.step()
        seconds.append(time.perf_counter() - t0)
        if epoch in checkpoints:
            model.eval()
            with torch.no_grad():
                accuracy.append(float((model(xt).argmax(dim=1) == yt).double().mean()))
    blas = openblas()
    versions = {"torch": torch.__version__, "numpy": np.__version__, "python": platform.python_version()}
    if blas is not None:
        versions["openblas"] = blas["config"].split()[1] if blas["config"].startswith("OpenBLAS ") else blas["config"]
        versions["openblas_core"] = blas["core"]
    versions["flush_denormal"] = "on" if flushing else "off"
    threads = {"torch": torch.get_num_threads(), "blas": None if blas is None else blas["threads"]}
    json.dump({"name": "pytorch", "versions": versions, "threads": threads, "train_examples": int(n),
               "test_examples": int(xt.shape[0]), "epoch_seconds": seconds, "checkpoints": [e for e in checkpoints if e <= args.epochs],
               "accuracy": accuracy, "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
