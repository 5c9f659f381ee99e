#!/usr/bin/python3
"""PyTorch peer for Descent's convolution and pooling kernels
(internal/conv's BenchmarkConv and BenchmarkPool, ops' BenchmarkCNNStep):
the same shapes, float32 on the CPU, at 1 and 2 threads.

    /usr/bin/python3 bench/peers/torch_conv.py [--min-time 0.5] [--threads 1,2]

For each piece of work it prints the time per call in µs at each thread
count and the best of them, as a table. Backward passes are timed alone
through aten.convolution_backward (the op autograd calls) with one output
mask each; the CNN steps run forward, cross-entropy and backward (no
optimizer), grads set to None between steps.
"""
import argparse
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

CONVS = [  # name, x shape, weight shape, padding
    ("digits-conv1", (64, 1, 8, 8), (16, 1, 3, 3), 1),
    ("digits-conv2", (64, 16, 4, 4), (32, 16, 3, 3), 1),
    ("lenet-conv1", (64, 1, 28, 28), (6, 1, 5, 5), 2),
    ("lenet-conv2", (64, 6, 14, 14), (16, 6, 5, 5), 0),
]

POOLS = [
    ("digits-pool1", (64, 16, 8, 8)),
    ("digits-pool2", (64, 32, 4, 4)),
    ("lenet-pool1", (64, 6, 28, 28)),
    ("lenet-pool2", (64, 16, 10, 10)),
]


def timeit(f, min_time):
    """Best per-call time in µs over 5 rounds of at least min_time/5 each."""
    f()
    n = 1
    while True:
        t = time.perf_counter()
        for _ in range(n):
            f()
        dt = time.perf_counter() - t
        if dt >= min_time / 5:
            break
        n *= 2
    best = dt / n
    for _ in range(4):
        t = time.perf_counter()
        for _ in range(n):
            f()
        best = min(best, (time.perf_counter() - t) / n)
    return best * 1e6


def conv_work(name, xs, ws, pad):
    g = torch.Generator().manual_seed(1)
    x = torch.rand(xs, generator=g) - 0.5
    w = torch.rand(ws, generator=g) - 0.5
    b = torch.rand(ws[0], generator=g) - 0.5
    y = F.conv2d(x, w, b, padding=pad)
    dy = torch.rand(y.shape, generator=g) - 0.5
    args = ([ws[0]], [1, 1], [pad, pad], [1, 1], False, [0, 0], 1)
    back = torch.ops.aten.convolution_backward
    with torch.no_grad():
        yield name + "/forward", lambda: F.conv2d(x, w, b, padding=pad)
        yield name + "/backward-data", lambda: back(dy, x, w, *args, [True, False, False])
        yield name + "/backward-filter", lambda: back(dy, x, w, *args, [False, True, True])


def pool_work(name, xs):
    g = torch.Generator().manual_seed(1)
    x = torch.rand(xs, generator=g)
    y, idx = F.max_pool2d(x, 2, return_indices=True)
    back = torch.ops.aten.max_pool2d_with_indices_backward
    with torch.no_grad():
        yield name + "/max-forward", lambda: F.max_pool2d(x, 2)
        yield name + "/max-backward", lambda: back(y, x, [2, 2], [2, 2], [0, 0], [1, 1], False, idx)


def digits_cnn():
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(128, 10))


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def step_work(name, model, hw):
    g = torch.Generator().manual_seed(3)
    x = torch.rand((64, 1, hw, hw), generator=g)
    y = torch.randint(0, 10, (64,), generator=g)

    def step():
        for p in model.parameters():
            p.grad = None
        F.cross_entropy(model(x), y).backward()

    yield name, step


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--min-time", type=float, default=0.5, help="seconds per measurement")
    ap.add_argument("--threads", default="1,2", help="thread counts to try")
    args = ap.parse_args()
    threads = [int(t) for t in args.threads.split(",")]
    torch.manual_seed(0)
    work = []
    for c in CONVS:
        work += list(conv_work(*c))
    for p in POOLS:
        work += list(pool_work(*p))
    work += list(step_work("CNNStep/digits-cnn", digits_cnn(), 8))
    work += list(step_work("CNNStep/lenet5", lenet5(), 28))
    print("torch %s, float32, µs per call" % torch.__version__)
    print("%-34s" % "work" + "".join("%12s" % ("%d thread%s" % (t, "s" if t > 1 else "")) for t in threads) + "%12s" % "best")
    for name, f in work:
        times = []
        for t in threads:
            torch.set_num_threads(t)
            times.append(timeit(f, args.min_time))
        print("%-34s" % name + "".join("%12.1f" % v for v in times) + "%12.1f" % min(times))


if __name__ == "__main__":
    main()
