"""PyTorch peer: the problem's loss differentiated by autograd, stepped by
torch.optim.SGD (Adam for optimizer "adam"), float64 on the CPU with
torch.set_num_threads(threads).

Usage: python3 torch_steps.py '{"kind": "linreg", "n": 1000, "d": 10, ...}'
Prints one JSON line: {"peer", "version", "us_per_step", "steps", "params"},
params being the parameters after check_steps steps from the start.
"""
import sys

if "make_data" not in globals():  # run as a file: load the shared part
    import os

    sys.dont_write_bytecode = True
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from common import *  # noqa: F401,F403

try:
    import torch
    import torch.nn.functional as F
except ImportError as e:
    skip("torch is not importable: %s" % e)


def make_step(p):
    X, y, cls = make_data(p)
    X = torch.from_numpy(X)
    y = torch.from_numpy(y) if y is not None else None
    cls = torch.from_numpy(cls) if cls is not None else None
    params = [torch.from_numpy(w).requires_grad_() for w in init_params(p)]
    L = len(params) // 2
    B = batch_rows(p)
    if p["optimizer"] == "adam":
        opt = torch.optim.Adam(params, lr=p["lr"])
    else:
        opt = torch.optim.SGD(params, lr=p["lr"])
    state = {"s": 0}

    def step():
        s0 = batch_start(p, state["s"])
        state["s"] += 1
        h = X[s0:s0 + B]
        for l in range(L):
            h = h @ params[2 * l] + params[2 * l + 1]
            if l < L - 1:
                h = torch.relu(h)
        if p["kind"] == "linreg":
            loss = F.mse_loss(h[:, 0], y[s0:s0 + B])
        elif p["kind"] == "logreg":
            loss = F.binary_cross_entropy_with_logits(h[:, 0], y[s0:s0 + B])
        else:
            loss = F.cross_entropy(h, cls[s0:s0 + B])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    return step, params


def main():
    p = read_problem()
    torch.set_num_threads(max(1, int(p.get("threads", 1))))
    step, params = make_step(p)
    for _ in range(p["check_steps"]):
        step()
    check = {name: w.detach().numpy().ravel().tolist() for name, w in zip(param_names(p), params)}
    us, steps = measure(step, p)
    emit("torch", torch.__version__, us, steps, check)


main()
