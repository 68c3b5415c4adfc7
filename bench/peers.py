#!/usr/bin/env python3
"""peers.py: the networks of make bench, trained in PyTorch (CPU) and in NumPy float32, to compare with the kit.

tools/bench.sh runs it in the same run as bench/bench.c (see that file): the same networks, shapes, initialisation
(He's normal distribution, mean 0 and std sqrt(2 / fan_in), zero biases), batches of 64, learning rates and updates,
one epoch over the same training images (the IDX files of the folder the kit loads, pixels divided by 255). An epoch
is timed from the shuffle to the last update, as bench.c times the kit's; the loss is computed at every step, as the
kit's training step does. Only the time is compared: the peers draw other random numbers than the kit.

    python3 peers.py torch|numpy --data DIR [--runs N] [--networks mlp,mlp3,cnn,capstone]

PyTorch is timed at 1 and 2 threads (torch.set_num_threads) on 150 batches each, after a warm-up of 20, and its
epochs are run at the faster count; NumPy runs with the thread count its BLAS picked (OPENBLAS_NUM_THREADS when it
is set). For each network it prints one line that tools/bench.sh parses, for example
    peer torch mlp epoch_seconds 0.912 threads 1 trials 1:0.905,2:1.050 runs 5 loss 0.2684
(the median of runs epochs; trials, each thread count's trial scaled to an epoch; loss, the mean loss of the
last epoch, to show that the network learns).
This is a benchmark: the kit does not need PyTorch or NumPy, and grading never runs this file.
"""
import argparse
import gzip
import os
import statistics
import sys
import time

import numpy as np

BATCH = 64
CLASSES = 10
WARMUP_BATCHES = 20
THREAD_COUNTS = (1, 2)  # PyTorch's, tried on TRIAL_BATCHES batches each to pick the faster
TRIAL_BATCHES = 150
CNN_RUNS = 3  # at most this many epochs of a CNN in PyTorch; NumPy's CNNs: one
# the networks of bench/bench.c: widths, the CNNs' sizes (filters1, filters2, hidden), learning rates and momentum
NETWORKS = {
    "mlp": {"name": "MLP 784-256-10", "layers": [784, 256, 10], "lr": 0.1},
    "mlp3": {"name": "MLP 784-256-128-10", "layers": [784, 256, 128, 10], "lr": 0.1},
    "cnn": {"name": "CNN 8-16 filters 3x3, dense 64", "cnn": (8, 16, 64), "lr": 0.1},
    "capstone": {"name": "capstone CNN 16-32, dense 128, momentum 0.9", "cnn": (16, 32, 128), "lr": 0.05,
                 "momentum": 0.9},
}
KERNEL = 3


def read_idx(path):
    """The array of an IDX file (gzip-compressed when its name ends in .gz), as the kit's harness/idx.c reads it."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 8:
        sys.exit(f"peers.py: {path}: not an IDX file of unsigned bytes (its first bytes are {data[:4]!r})")
    dimensions = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dimensions)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dimensions).reshape(shape)


def load_training_set(folder):
    """The training images (N x 784 floats in [0, 1]) and labels (N ints) of folder, with or without .gz."""
    arrays = []
    for name in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"):
        path = os.path.join(folder, name + ".gz")
        if not os.path.exists(path):
            path = os.path.join(folder, name)
        if not os.path.exists(path):
            sys.exit(f"peers.py: {path}(.gz) is missing: --data must name the folder of the kit's data set")
        arrays.append(read_idx(path))
    images, labels = arrays
    X = (images.reshape(images.shape[0], -1).astype(np.float32) / np.float32(255.0))
    return X, labels.astype(np.int64)


def he_normal(rng, fan_in, shape):
    return (rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(np.float32)


def cnn_sizes():
    """Convolution 1's output side, its pooled side, and the same for convolution 2 (stride 1, valid, 2x2 pooling)."""
    OH1 = 28 - KERNEL + 1
    PH1 = OH1 // 2
    OH2 = PH1 - KERNEL + 1
    PH2 = OH2 // 2
    return OH1, PH1, OH2, PH2


# ---- PyTorch -------------------------------------------------------------------------------------------------------

def torch_model(torch, key, rng):
    """The network in torch.nn, its weights drawn from He's normal distribution, its biases 0."""
    nn = torch.nn
    net = NETWORKS[key]
    if "layers" in net:
        sizes = net["layers"]
        layers = []
        for i in range(len(sizes) - 1):
            layers.append(nn.Linear(sizes[i], sizes[i + 1]))
            if i < len(sizes) - 2:
                layers.append(nn.ReLU())
        model = nn.Sequential(*layers)
    else:
        F1, F2, H = net["cnn"]
        _, _, _, PH2 = cnn_sizes()
        # pooling before ReLU, as the kit's CNN does (the same numbers: ReLU and max commute)
        model = nn.Sequential(nn.Unflatten(1, (1, 28, 28)),
                              nn.Conv2d(1, F1, KERNEL), nn.MaxPool2d(2), nn.ReLU(),
                              nn.Conv2d(F1, F2, KERNEL), nn.MaxPool2d(2), nn.ReLU(),
                              nn.Flatten(), nn.Linear(F2 * PH2 * PH2, H), nn.ReLU(), nn.Linear(H, CLASSES))
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (nn.Linear, nn.Conv2d)):
                fan_in = module.weight[0].numel()
                module.weight.copy_(torch.from_numpy(he_normal(rng, fan_in, tuple(module.weight.shape))))
                module.bias.zero_()
    return model


def torch_run(torch, key, X, y, runs):
    """A new network: for each thread count, a warm-up of a few batches, then TRIAL_BATCHES timed; then runs epochs
    at the faster count. Returns that count, the trials' times scaled to an epoch, the epochs' times and the last
    epoch's mean loss."""
    net = NETWORKS[key]
    model = torch_model(torch, key, np.random.default_rng(17))
    optimizer = torch.optim.SGD(model.parameters(), lr=net["lr"], momentum=net.get("momentum", 0.0))
    loss_function = torch.nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(17)
    N = X.shape[0]

    def step(xb, yb):
        optimizer.zero_grad(set_to_none=True)
        loss = loss_function(model(xb), yb)
        loss.backward()
        optimizer.step()
        return loss

    trials = {}
    for threads in THREAD_COUNTS:
        torch.set_num_threads(threads)
        for start in range(0, WARMUP_BATCHES * BATCH, BATCH):
            step(X[start:start + BATCH], y[start:start + BATCH])
        started = time.perf_counter()
        for start in range(0, TRIAL_BATCHES * BATCH, BATCH):
            step(X[start:start + BATCH], y[start:start + BATCH])
        trials[threads] = (time.perf_counter() - started) * N / (TRIAL_BATCHES * BATCH)
    best = min(trials, key=trials.get)
    torch.set_num_threads(best)
    times, mean_loss = [], 0.0
    for _ in range(runs):
        started = time.perf_counter()
        order = torch.randperm(N, generator=generator)
        total = torch.zeros(())
        for start in range(0, N, BATCH):
            rows = order[start:start + BATCH]
            loss = step(X[rows], y[rows])
            total += loss.detach() * rows.shape[0]
        times.append(time.perf_counter() - started)
        mean_loss = float(total) / N
    return best, trials, times, mean_loss


def run_torch(keys, X_np, y_np, runs):
    import torch
    X, y = torch.from_numpy(X_np), torch.from_numpy(y_np)
    for key in keys:
        epochs = runs if "layers" in NETWORKS[key] else min(runs, CNN_RUNS)
        threads, trials, times, loss = torch_run(torch, key, X, y, epochs)
        print(f"peer torch {key} epoch_seconds {statistics.median(times):.4f} threads {threads} trials "
              + ",".join(f"{t}:{s:.4f}" for t, s in trials.items())
              + f" runs {epochs} loss {loss:.4f}  ({NETWORKS[key]['name']}, PyTorch {torch.__version__})", flush=True)


# ---- NumPy ---------------------------------------------------------------------------------------------------------

def softmax_cross_entropy(Z, labels):
    """The mean cross-entropy of softmax(Z) against labels, and its gradient (P - Y) / m with respect to Z."""
    m = Z.shape[0]
    Z = Z - Z.max(axis=1, keepdims=True)
    E = np.exp(Z)
    P = E / E.sum(axis=1, keepdims=True)
    rows = np.arange(m)
    loss = -np.log(np.maximum(P[rows, labels], np.float32(1e-30))).mean()
    P[rows, labels] -= np.float32(1.0)
    P *= np.float32(1.0 / m)
    return float(loss), P


class NumpyMlp:
    """A dense network with ReLU between its layers and softmax at the end; one step of SGD on a batch."""

    def __init__(self, sizes, lr, rng):
        self.W = [he_normal(rng, sizes[i], (sizes[i], sizes[i + 1])) for i in range(len(sizes) - 1)]
        self.b = [np.zeros(sizes[i + 1], np.float32) for i in range(len(sizes) - 1)]
        self.lr = np.float32(lr)

    def step(self, X, labels):
        A = [X]
        for i in range(len(self.W)):
            Z = A[-1] @ self.W[i]
            Z += self.b[i]
            if i < len(self.W) - 1:
                np.maximum(Z, 0, out=Z)  # A = relu(Z); relu'(Z) is then A > 0
            A.append(Z)
        loss, dZ = softmax_cross_entropy(A[-1], labels)
        for i in reversed(range(len(self.W))):
            dW = A[i].T @ dZ
            db = dZ.sum(axis=0)
            if i > 0:
                dZ = dZ @ self.W[i].T
                dZ *= A[i] > 0
            self.W[i] -= self.lr * dW
            self.b[i] -= self.lr * db
        return loss


def pool_forward(Z):
    """2x2 max pooling of Z (m, OH, OW, F), an odd last row or column dropped; the pooled maps and, for each window,
    which of its four values was the largest (the first on ties)."""
    m, OH, OW, F = Z.shape
    PH, PW = OH // 2, OW // 2
    corners = [Z[:, i:2 * PH:2, j:2 * PW:2] for i in (0, 1) for j in (0, 1)]
    pooled = np.maximum(np.maximum(corners[0], corners[1]), np.maximum(corners[2], corners[3]))
    which = np.full(pooled.shape, 3, np.int8)
    for k in (2, 1, 0):
        which[corners[k] == pooled] = k
    return pooled, which


def pool_backward(dpooled, which, shape):
    """The gradient with respect to the pooling's input (shape): each window's gradient to its largest value."""
    dZ = np.zeros(shape, np.float32)
    PH, PW = dpooled.shape[1], dpooled.shape[2]
    for k, (i, j) in enumerate(((0, 0), (0, 1), (1, 0), (1, 1))):
        dZ[:, i:2 * PH:2, j:2 * PW:2] = np.where(which == k, dpooled, np.float32(0.0))
    return dZ


def im2col(A):
    """The k x k patches of A (m, H, W, C) as rows: (m * OH * OW) x (k * k * C), each patch row by row and channels
    last (the kit orders a filter's weights channel first: the same network, its weights in another order). A view
    made by sliding_window_view, then one copy whose inner loop runs over the contiguous channels."""
    C = A.shape[3]
    windows = np.lib.stride_tricks.sliding_window_view(A, (KERNEL, KERNEL), axis=(1, 2))  # m, OH, OW, C, k, k
    return windows.transpose(0, 1, 2, 4, 5, 3).reshape(-1, KERNEL * KERNEL * C)


def col2im(dcolumns, shape):
    """The sum of the patches' gradients dcolumns (m, OH, OW, k, k, C) back onto an input of shape (m, H, W, C)."""
    dA = np.zeros(shape, np.float32)
    OH, OW = dcolumns.shape[1], dcolumns.shape[2]
    for i in range(KERNEL):
        for j in range(KERNEL):
            dA[:, i:i + OH, j:j + OW, :] += dcolumns[:, :, :, i, j, :]
    return dA


class NumpyCnn:
    """The kit's CNN with im2col and matmul, images kept channels last (m, H, W, C); SGD, with momentum if given."""

    def __init__(self, net, rng):
        F1, F2, H = net["cnn"]
        _, _, _, PH2 = cnn_sizes()
        k2 = KERNEL * KERNEL
        self.params = [he_normal(rng, k2, (F1, k2)), np.zeros(F1, np.float32),
                       he_normal(rng, F1 * k2, (F2, F1 * k2)), np.zeros(F2, np.float32),
                       he_normal(rng, F2 * PH2 * PH2, (F2 * PH2 * PH2, H)), np.zeros(H, np.float32),
                       he_normal(rng, H, (H, CLASSES)), np.zeros(CLASSES, np.float32)]
        self.velocity = [np.zeros_like(p) for p in self.params]
        self.lr, self.beta = np.float32(net["lr"]), np.float32(net.get("momentum", 0.0))

    def step(self, X, labels):
        W1, b1, W2, b2, W3, b3, W4, b4 = self.params
        m = X.shape[0]
        X = X.reshape(m, 28, 28, 1)
        columns1 = im2col(X)
        Z1 = (columns1 @ W1.T + b1).reshape(m, 28 - KERNEL + 1, 28 - KERNEL + 1, -1)
        pooled1, which1 = pool_forward(Z1)
        A1 = np.maximum(pooled1, 0)
        columns2 = im2col(A1)
        OH2 = A1.shape[1] - KERNEL + 1
        Z2 = (columns2 @ W2.T + b2).reshape(m, OH2, OH2, -1)
        pooled2, which2 = pool_forward(Z2)
        A2 = np.maximum(pooled2, 0).reshape(m, -1)
        A3 = A2 @ W3 + b3
        np.maximum(A3, 0, out=A3)
        loss, dZ4 = softmax_cross_entropy(A3 @ W4 + b4, labels)
        dW4, db4 = A3.T @ dZ4, dZ4.sum(axis=0)
        dZ3 = dZ4 @ W4.T
        dZ3 *= A3 > 0
        dW3, db3 = A2.T @ dZ3, dZ3.sum(axis=0)
        dpooled2 = (dZ3 @ W3.T).reshape(pooled2.shape)
        dpooled2 *= pooled2 > 0
        dZ2 = pool_backward(dpooled2, which2, Z2.shape).reshape(-1, W2.shape[0])
        dW2, db2 = dZ2.T @ columns2, dZ2.sum(axis=0)
        dA1 = col2im((dZ2 @ W2).reshape(m, OH2, OH2, KERNEL, KERNEL, -1), A1.shape)
        dA1 *= pooled1 > 0
        dZ1 = pool_backward(dA1, which1, Z1.shape).reshape(-1, W1.shape[0])
        dW1, db1 = dZ1.T @ columns1, dZ1.sum(axis=0)
        for p, v, g in zip(self.params, self.velocity, (dW1, db1, dW2, db2, dW3, db3, dW4, db4)):
            if self.beta:  # V = beta V - lr dW, W += V, as the kit's momentum_update
                v *= self.beta
                v -= self.lr * g
                p += v
            else:
                p -= self.lr * g
        return loss


def numpy_epochs(model, X, y, runs, warmup, rng):
    N = X.shape[0]
    for start in range(0, warmup * BATCH, BATCH):
        model.step(X[start:start + BATCH], y[start:start + BATCH])
    times, mean_loss = [], 0.0
    for _ in range(runs):
        started = time.perf_counter()
        order = rng.permutation(N)
        total = 0.0
        for start in range(0, N, BATCH):
            rows = order[start:start + BATCH]
            total += model.step(X[rows], y[rows]) * rows.shape[0]
        times.append(time.perf_counter() - started)
        mean_loss = total / N
    return times, mean_loss


def run_numpy(keys, X, y, runs):
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "its BLAS's default")
    for key in keys:
        net = NETWORKS[key]
        rng = np.random.default_rng(17)
        if "layers" in net:
            model, epochs = NumpyMlp(net["layers"], net["lr"], rng), runs
        else:
            model, epochs = NumpyCnn(net, rng), 1  # an epoch of tens of seconds: one is enough
        times, loss = numpy_epochs(model, X, y, epochs, WARMUP_BATCHES, rng)
        print(f"peer numpy {key} epoch_seconds {statistics.median(times):.4f} runs {epochs} loss {loss:.4f}"
              f"  ({net['name']}, NumPy {np.__version__}, BLAS threads: {threads})", flush=True)


def main():
    parser = argparse.ArgumentParser(description="make bench's peers: the kit's networks in PyTorch or NumPy")
    parser.add_argument("peer", choices=("torch", "numpy"))
    parser.add_argument("--data", required=True, help="the folder of the training set's IDX files (.gz or not)")
    parser.add_argument("--runs", type=int, default=5, help="epochs to take the median of (the CNNs: fewer)")
    parser.add_argument("--networks", default="mlp,mlp3,cnn,capstone")
    args = parser.parse_args()
    keys = [key for key in args.networks.split(",") if key]
    for key in keys:
        if key not in NETWORKS:
            sys.exit(f"peers.py: --networks names {key!r}, expected some of {','.join(NETWORKS)}")
    if args.runs < 1:
        sys.exit(f"peers.py: --runs is {args.runs}, expected at least 1")
    X, y = load_training_set(args.data)
    (run_torch if args.peer == "torch" else run_numpy)(keys, X, y, args.runs)


if __name__ == "__main__":
    main()
