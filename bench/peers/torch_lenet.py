#!/usr/bin/env python3
"""PyTorch peer of `descent train` on Fashion-MNIST with the LeNet-5-style
network, for the side-by-side wall time in issue 9/10's closing notes.

    /usr/bin/python3 bench/peers/torch_lenet.py --epochs 5 --threads 1
    /usr/bin/python3 bench/peers/torch_lenet.py --epochs 1 --threads 2 --json

Same network, data ([0,1] pixels, no standardization), batch size, Adam
learning rate, float32 and seeded shuffling as

    descent train --dataset fashion-mnist --val-dataset fashion-mnist:test \
      --model 'conv2d(6,5,padding=2) relu maxpool2d(2) conv2d(16,5) relu maxpool2d(2) flatten linear(120) relu linear(84) relu linear(10)' \
      --optimizer adam --lr 0.002 --batch-size 64 --epochs 5 --float32

It prints the training loop's wall time (data loading excluded, test
evaluation after each epoch included, as descent's) and the test accuracy.
With --untimed-eval the test set is evaluated once, after the timed
training epochs, as `descent bench`'s lenet-fashion problem does on both
sides; --json then adds the loop's CPU time (all threads) and step count.
"""
import argparse, gzip, json, os, struct, time

import numpy as np
import torch
import torch.nn as nn


def idx(path):
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    magic, = struct.unpack(">I", raw[:4])
    dims = raw[3]
    shape = struct.unpack(">" + "I" * dims, raw[4:4 + 4 * dims])
    return np.frombuffer(raw[4 + 4 * dims:], dtype=np.uint8).reshape(shape)


def load(split, root):
    pre = "train" if split == "train" else "t10k"

    def path(kind):
        p = os.path.join(root, pre + "-" + kind + "-ubyte")
        return p + ".gz" if os.path.exists(p + ".gz") else p

    x = idx(path("images-idx3")).astype(np.float32) / 255.0
    y = idx(path("labels-idx1")).astype(np.int64)
    return torch.from_numpy(x).reshape(-1, 1, 28, 28), torch.from_numpy(y)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=0.002)
    ap.add_argument("--root", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--untimed-eval", action="store_true", help="evaluate once, after timing")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    xtr, ytr = load("train", a.root)
    xte, yte = load("test", a.root)
    net = nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    lossf = nn.CrossEntropyLoss()
    g = torch.Generator().manual_seed(1)
    def evaluate():
        net.eval()
        with torch.no_grad():
            return (net(xte).argmax(1) == yte).float().mean().item()

    t0, c0 = time.perf_counter(), time.process_time()
    acc, steps = 0.0, 0
    for ep in range(a.epochs):
        net.train()
        perm = torch.randperm(len(xtr), generator=g)
        for i in range(0, len(xtr), a.batch):
            idx_ = perm[i:i + a.batch]
            opt.zero_grad()
            loss = lossf(net(xtr[idx_]), ytr[idx_])
            loss.backward()
            opt.step()
            steps += 1
        if not a.untimed_eval:
            acc = evaluate()
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    if a.untimed_eval:
        acc = evaluate()
    out = {"epochs": a.epochs, "threads": a.threads, "seconds": secs, "cpu_seconds": cpu, "steps": steps,
           "test_accuracy": acc, "torch": torch.__version__}
    print(json.dumps(out) if a.json else f"torch {torch.__version__}, {a.threads} thread(s): {a.epochs} epochs in {secs:.1f} s, test accuracy {100*acc:.2f}%")


if __name__ == "__main__":
    main()
