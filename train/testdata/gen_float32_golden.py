#!/usr/bin/python3
"""Golden float32 training trajectory from PyTorch.

Run:  /usr/bin/python3 train/testdata/gen_float32_golden.py
(or `go test ./train -run Float32Torch -update`, which runs it). It writes
float32_torch.json beside itself; the Go test only reads it. Use Debian's
/usr/bin/python3 (python3-torch).

A small MLP, Descent's "linear(16) tanh linear(3)", trained full-batch with
cross-entropy and torch.optim.Adam(lr=0.01) for STEPS steps, all in float32
(parameters, gradients, Adam's moments), as `descent train --float32`
trains: the initial parameters (torch's default initialization), the data,
every step's loss and the final parameters. float32 values are stored as
the float64 numbers they are, exactly.
"""
import json
import os

import torch
import torch.nn as nn

torch.set_default_dtype(torch.float32)
torch.set_num_threads(1)  # one reduction order

HERE = os.path.dirname(os.path.abspath(__file__))
N, D, H, K, STEPS, LR = 64, 4, 16, 3, 100, 0.01


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def main():
    g = torch.Generator().manual_seed(20261201)
    x = torch.randn(N, D, generator=g)
    y = torch.randint(0, K, (N,), generator=g)
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(D, H), nn.Tanh(), nn.Linear(H, K))
    init = {k: flat(v) for k, v in model.state_dict().items()}
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    losses = []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        losses.append(loss.item())
        opt.step()
    out = {"torch": torch.__version__, "spec": "linear(16) tanh linear(3)", "n": N, "d": D, "k": K,
           "steps": STEPS, "lr": LR, "x": flat(x), "labels": y.tolist(), "init": init,
           "losses": losses, "final": {k: flat(v) for k, v in model.state_dict().items()}}
    path = os.path.join(HERE, "float32_torch.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
