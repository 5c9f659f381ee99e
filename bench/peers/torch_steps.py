"""PyTorch peer: the problem's loss differentiated by autograd, stepped by
torch.optim.SGD (Adam for optimizer "adam"), float64 on the CPU with
torch.set_num_threads(threads). A network problem (kind "cnn") builds the
nn.Sequential of its layer string, float32 when asked, starts from
net_init's parameters, and is timed at each of thread_counts; the fastest
is reported, with every count's time in by_threads.

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


def build_net(p):
    """The nn.Sequential of p's layer string, on rows of shape p["input"]."""
    import torch.nn as nn
    shape = list(p["input"])
    mods = []
    for name, args, kw in parse_net(p["net"]):
        if name == "conv2d":
            k = args[1]
            pad, stride = kw.get("padding", 0), kw.get("stride", 1)
            mods.append(nn.Conv2d(shape[0], args[0], k, stride=stride, padding=pad))
            shape = [args[0], (shape[1] + 2 * pad - k) // stride + 1, (shape[2] + 2 * pad - k) // stride + 1]
        elif name in ("maxpool2d", "avgpool2d"):
            k = args[0]
            mods.append((nn.MaxPool2d if name == "maxpool2d" else nn.AvgPool2d)(k))
            shape = [shape[0], shape[1] // k, shape[2] // k]
        elif name == "flatten":
            mods.append(nn.Flatten())
            shape = [int(np.prod(shape))]
        elif name == "linear":
            mods.append(nn.Linear(shape[0], args[0]))
            shape = [args[0]]
        elif name in ("relu", "tanh", "sigmoid"):
            mods.append({"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}[name]())
        else:
            skip("the PyTorch peer does not build layer %s" % name)
    return nn.Sequential(*mods)


def make_net_step(p):
    dtype = torch.float32 if p.get("float32") else torch.float64
    X, _, cls = make_data(p)
    X = torch.from_numpy(X).to(dtype).reshape([-1] + list(p["input"]))
    cls = torch.from_numpy(cls)
    net = build_net(p).to(dtype)
    init = net_init(p)
    with torch.no_grad():
        for name, w in net.named_parameters():
            w.copy_(torch.from_numpy(init[name]).to(dtype))
    opt = torch.optim.Adam(net.parameters(), lr=p["lr"])
    B = batch_rows(p)
    state = {"s": 0}

    def step():
        s0 = batch_start(p, state["s"])
        state["s"] += 1
        loss = F.cross_entropy(net(X[s0:s0 + B]), cls[s0:s0 + B])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    def params():
        return {name: w.detach().to(torch.float64).numpy().ravel().tolist() for name, w in net.named_parameters()}

    return step, params


def main():
    p = read_problem()
    counts = p.get("thread_counts") or [p.get("threads", 1)]
    torch.set_num_threads(max(1, int(counts[0])))
    if p["kind"] == "cnn":
        step, get = make_net_step(p)
        for _ in range(p["check_steps"]):
            step()
        check = get()
    else:
        step, params = make_step(p)
        for _ in range(p["check_steps"]):
            step()
        check = {name: w.detach().numpy().ravel().tolist() for name, w in zip(param_names(p), params)}
    best, by = None, []
    for t in counts:
        torch.set_num_threads(max(1, int(t)))
        cpu = []
        us, steps = measure(step, p, cpu)
        by.append({"threads": t, "us_per_step": us})
        if best is None or us < best[0]:
            best = (us, steps, cpu[0])
    emit("torch", torch.__version__, best[0], best[1], check, best[2], by if len(by) > 1 else None)


main()
