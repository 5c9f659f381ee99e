"""Shared part of the peer scripts: the problem, its data and the timing loop.

The data follow the same closed formulas as bench/data.go (NewData,
InitParams), so Go and Python build the same numbers without exchanging
files. The harness sends this file followed by one peer script to
`python3 - '<problem json>'`; a peer script run as a file imports it.
"""
import json
import math
import sys
import time

import numpy as np


def read_problem():
    """The problem: the JSON object in argv[1]."""
    return json.loads(sys.argv[1])


def layers(p):
    """(in, out) widths of each dense layer, as Problem.Layers."""
    out = 1 if p["kind"] in ("linreg", "logreg") else p["k"]
    widths = [p["d"]] + (list(p["hidden"]) if p["kind"] == "mlp" else []) + [out]
    return list(zip(widths[:-1], widths[1:]))


def param_names(p):
    """Parameter names in order, as ParamNames."""
    if p["kind"] != "mlp":
        return ["W", "b"]
    names = []
    for l in range(len(layers(p))):
        names += ["W%d" % (l + 1), "b%d" % (l + 1)]
    return names


def make_data(p):
    """X (n×d), y (linreg target or 0/1 label, else None), cls (class index or None)."""
    n, d = p["n"], p["d"]
    i = np.arange(n, dtype=np.float64)[:, None]
    j = np.arange(d, dtype=np.float64)[None, :]
    X = np.sin(0.37 * i + 1.3 * j + (0.011 * i) * j)
    fi = np.arange(n, dtype=np.float64)
    u = np.cos(0.5 * np.arange(d, dtype=np.float64))
    y = cls = None
    if p["kind"] == "linreg":
        y = X @ u + 1 + 0.1 * np.cos(fi)
    elif p["kind"] == "logreg":
        y = ((X @ u + 0.3 * np.cos(1.7 * fi)) > 0).astype(np.float64)
    else:
        k = p["k"]
        jj = np.arange(d, dtype=np.float64)[:, None]
        c = np.arange(k, dtype=np.float64)[None, :]
        V = np.cos(0.5 * jj + 1.1 * c + (0.07 * jj) * c)
        S = X @ V + 0.3 * np.cos(1.7 * fi[:, None] + c)
        cls = np.argmax(S, axis=1)
    return X, y, cls


def init_params(p):
    """Starting parameters as arrays: W (in×out) and b (out) per layer."""
    out = []
    for l, (fan_in, fan_out) in enumerate(layers(p)):
        if p["kind"] != "mlp":
            out += [np.zeros((fan_in, fan_out)), np.zeros(fan_out)]
            continue
        a = np.arange(fan_in, dtype=np.float64)[:, None]
        b = np.arange(fan_out, dtype=np.float64)[None, :]
        W = np.sin(0.9 * a + 0.61 * b + (0.013 * a) * b + float(l + 1)) * (1 / math.sqrt(fan_in))
        out += [W, np.zeros(fan_out)]
    return out


def batch_rows(p):
    return p["batch"] or p["n"]


def batch_start(p, s):
    """First row of step s's mini-batch, as Problem.BatchStart."""
    B = batch_rows(p)
    return (s % (p["n"] // B)) * B


def measure(step, p, cpu=None):
    """Warms step up (3 calls and a tenth of min_time at least), then calls
    it in growing rounds until min_time seconds of calls have been timed
    with time.perf_counter; returns (µs per step, steps timed). With a list
    cpu, it appends the process's CPU time per step in µs (all threads)."""
    min_time = p.get("min_time", 1.0)
    t0 = time.perf_counter()
    warm = 0
    while warm < 3 or time.perf_counter() - t0 < min_time / 10:
        step()
        warm += 1
    n, steps, total = 1, 0, 0.0
    c0 = time.process_time()
    while total < min_time:
        t0 = time.perf_counter()
        for _ in range(n):
            step()
        total += time.perf_counter() - t0
        steps += n
        per = total / steps
        n = max(1, min(int((min_time - total) / per * 1.2) + 1, 2 * n + 100))
    if cpu is not None:
        cpu.append((time.process_time() - c0) / steps * 1e6)
    return total / steps * 1e6, steps


def emit(peer, version, us, steps, params, cpu_us=None, by_threads=None):
    """Prints the one JSON result line."""
    out = {"peer": peer, "version": version, "us_per_step": us, "steps": steps, "params": params}
    if cpu_us is not None:
        out["cpu_us_per_step"] = cpu_us
    if by_threads:
        out["by_threads"] = by_threads
    print(json.dumps(out))


def net_init(p):
    """A network's starting parameters by name, as bench/cnn.go's netInit:
    the l-th parameter at flat index i with fan-in f is
    sin(0.9·i + 0.013·i·(l+1) + 0.61·l + 1) / √f, each product rounded."""
    out = {}
    for l, prm in enumerate(p["params"]):
        n = int(np.prod(prm["shape"]))
        i = np.arange(n, dtype=np.float64)
        fl = float(l)
        v = np.sin(0.9 * i + (0.013 * i) * (fl + 1) + 0.61 * fl + 1) * (1 / math.sqrt(prm["fan"]))
        out[prm["name"]] = v.reshape(prm["shape"])
    return out


def parse_net(spec):
    """Descent's layer grammar as a list of (name, positional args, keyword
    args), for the layers the network problems use: conv2d, linear,
    maxpool2d, avgpool2d, relu, tanh, sigmoid, flatten."""
    import re
    layers = []
    for m in re.finditer(r"([a-z0-9]+)(?:\(([^)]*)\))?", spec):
        args, kw = [], {}
        for a in filter(None, (x.strip() for x in (m.group(2) or "").split(","))):
            if "=" in a:
                k, v = a.split("=", 1)
                kw[k.strip()] = int(v)
            else:
                args.append(int(a))
        layers.append((m.group(1), args, kw))
    return layers


def skip(reason):
    print(json.dumps({"skipped": reason}))
    sys.exit(0)
