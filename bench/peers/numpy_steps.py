"""NumPy peer: the problem's training step with a hand-derived gradient.

Usage: python3 numpy_steps.py '{"kind": "linreg", "n": 1000, "d": 10, ...}'
Prints one JSON line: {"peer", "version", "us_per_step", "steps", "params"},
params being the parameters after check_steps steps from the start.
"""
import sys

if "make_data" not in globals():  # run as a file: load the shared part
    import os

    sys.dont_write_bytecode = True
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from common import *  # noqa: F401,F403

import numpy as np


def make_step(p):
    X, y, cls = make_data(p)
    params = init_params(p)
    L = len(params) // 2
    B = batch_rows(p)
    lr = p["lr"]
    adam = p["optimizer"] == "adam"
    m = [np.zeros_like(w) for w in params]
    v = [np.zeros_like(w) for w in params]
    state = {"s": 0, "t": 0}
    b1, b2, eps = 0.9, 0.999, 1e-8

    def step():
        s0 = batch_start(p, state["s"])
        state["s"] += 1
        Xb = X[s0:s0 + B]
        acts = [Xb]
        for l in range(L):
            z = acts[-1] @ params[2 * l] + params[2 * l + 1]
            if l < L - 1:
                z = np.maximum(z, 0)
            acts.append(z)
        z = acts[-1]
        if p["kind"] == "linreg":
            e = (2.0 / B) * (z - y[s0:s0 + B, None])
        elif p["kind"] == "logreg":
            e = (0.5 * (1 + np.tanh(0.5 * z)) - y[s0:s0 + B, None]) / B
        else:
            e = np.exp(z - z.max(axis=1, keepdims=True))
            e /= e.sum(axis=1, keepdims=True)
            e[np.arange(B), cls[s0:s0 + B]] -= 1
            e /= B
        grads = [None] * (2 * L)
        for l in range(L - 1, -1, -1):
            grads[2 * l] = acts[l].T @ e
            grads[2 * l + 1] = e.sum(axis=0)
            if l > 0:
                e = (e @ params[2 * l].T) * (acts[l] > 0)
        state["t"] += 1
        t = state["t"]
        for i, g in enumerate(grads):
            if adam:
                m[i] *= b1
                m[i] += (1 - b1) * g
                v[i] *= b2
                v[i] += (1 - b2) * g * g
                params[i] -= lr * (m[i] / (1 - b1 ** t)) / (np.sqrt(v[i] / (1 - b2 ** t)) + eps)
            else:
                params[i] -= lr * g

    return step, params


def main():
    p = read_problem()
    if p["kind"] not in ("linreg", "logreg", "softmax", "mlp"):
        skip("the NumPy peer has no %s step" % p["kind"])
    step, params = make_step(p)
    for _ in range(p["check_steps"]):
        step()
    check = {name: w.ravel().tolist() for name, w in zip(param_names(p), params)}
    cpu = []
    us, steps = measure(step, p, cpu)
    emit("numpy", np.__version__, us, steps, check, cpu[0])


main()
