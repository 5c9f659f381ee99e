#!/usr/bin/python3
"""Golden layer values and training trajectories from PyTorch, float64.

Run:  /usr/bin/python3 nn/testdata/gen_golden.py
(or `go test ./nn -run Golden -update`, which runs it). It writes
layers.json and trajectories.json beside itself. The Go tests only read
them; they never run Python. Use Debian's /usr/bin/python3 (python3-torch).

layers.json: for every layer and option, one case: a torch.nn.Sequential
holding the layer (so state_dict names are "0.weight", "0.running_mean",
...), its input x, its parameters and buffers (drawn at random, so that no
weight is a trivial 1 and no running statistic a trivial 0), a fixed random
upstream gradient U of the output's shape, and for each mode (train: the
module in training mode, eval: in evaluation mode) the output y, the input
gradient dx = d(sum(U*y))/dx, each parameter's gradient and the buffers
after the forward pass. Embedding inputs are integer ids, which get no
gradient.

trajectories.json: small networks trained full-batch with cross-entropy
under every optimizer (torch.optim, the same hyper-parameters as the Go
test), from torch's default initialization; the parameters and buffers
after steps 1, 10 and 20 and every step's loss. Each case is first checked
to be calm (CHAOS below).
"""
import copy
import json
import os
import zlib

import torch
import torch.nn as nn

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)  # one reduction order

HERE = os.path.dirname(os.path.abspath(__file__))


class Residual(nn.Sequential):
    """x + body(x), the body's layers named by index in the residual's
    own scope, as Descent's residual(...) names them."""

    def forward(self, x):
        return x + super().forward(x)


def flat(t):
    return t.detach().reshape(-1).tolist()


def bn1(**kw):
    return lambda c: nn.BatchNorm1d(c, **kw)


def bn2(**kw):
    return lambda c: nn.BatchNorm2d(c, **kw)


def ln(**kw):
    return lambda d: nn.LayerNorm(d, **kw)


# (case name, Descent spec, torch factory, input shape, input kind, modes).
# A factory takes the inferred input size (features, channels or the last
# dimension); kind is "float", "zeros" (floats with exact zeros, for the
# kinks of relu and friends) or "ids:V" (integer ids below V).
TRAIN, BOTH = ("train",), ("train", "eval")
LAYERS = [
    # The lead's layers.
    ("linear", "linear(4)", lambda d: nn.Linear(d, 4), (5, 3), "float", TRAIN),
    ("linear/bias=false", "linear(4,bias=false)", lambda d: nn.Linear(d, 4, bias=False), (5, 3), "float", TRAIN),
    ("linear/3d", "linear(4)", lambda d: nn.Linear(d, 4), (2, 3, 3), "float", TRAIN),
    ("relu", "relu", lambda d: nn.ReLU(), (4, 5), "zeros", TRAIN),
    ("leakyrelu", "leakyrelu", lambda d: nn.LeakyReLU(), (4, 5), "zeros", TRAIN),
    ("leakyrelu/negative_slope", "leakyrelu(0.2)", lambda d: nn.LeakyReLU(0.2), (4, 5), "zeros", TRAIN),
    ("leakyrelu/negative_slope=0", "leakyrelu(0)", lambda d: nn.LeakyReLU(0.0), (4, 5), "zeros", TRAIN),
    ("elu", "elu", lambda d: nn.ELU(), (4, 5), "zeros", TRAIN),
    ("elu/alpha", "elu(0.5)", lambda d: nn.ELU(0.5), (4, 5), "zeros", TRAIN),
    ("elu/alpha=0", "elu(0)", lambda d: nn.ELU(0.0), (4, 5), "zeros", TRAIN),
    ("gelu", "gelu", lambda d: nn.GELU(), (4, 5), "zeros", TRAIN),
    ("silu", "silu", lambda d: nn.SiLU(), (4, 5), "zeros", TRAIN),
    ("tanh", "tanh", lambda d: nn.Tanh(), (4, 5), "zeros", TRAIN),
    ("sigmoid", "sigmoid", lambda d: nn.Sigmoid(), (4, 5), "zeros", TRAIN),
    ("softmax", "softmax", lambda d: nn.Softmax(dim=-1), (4, 5), "float", TRAIN),
    ("logsoftmax", "logsoftmax", lambda d: nn.LogSoftmax(dim=-1), (4, 5), "float", TRAIN),
    ("flatten", "flatten", lambda d: nn.Flatten(), (2, 3, 2, 2), "float", TRAIN),
    ("residual", "residual(linear(3) relu linear(3))",
     lambda d: Residual(nn.Linear(d, 3), nn.ReLU(), nn.Linear(3, 3)), (4, 3), "float", TRAIN),
    # Batch norm: the input gradient goes through the batch statistics in
    # training; evaluation uses the (random) running statistics.
    ("batchnorm1d", "batchnorm1d", bn1(), (6, 4), "float", BOTH),
    ("batchnorm1d/3d", "batchnorm1d", bn1(), (4, 3, 5), "float", BOTH),
    ("batchnorm1d/two-rows", "batchnorm1d", bn1(), (2, 3), "float", TRAIN),
    ("batchnorm1d/affine=false", "batchnorm1d(affine=false)", bn1(affine=False), (6, 4), "float", BOTH),
    ("batchnorm1d/track_running_stats=false", "batchnorm1d(track_running_stats=false)",
     bn1(track_running_stats=False), (6, 4), "float", BOTH),
    ("batchnorm1d/eps,momentum", "batchnorm1d(eps=0.001,momentum=0.3)", bn1(eps=1e-3, momentum=0.3), (6, 4), "float", BOTH),
    ("batchnorm1d/momentum=0", "batchnorm1d(momentum=0)", bn1(momentum=0.0), (6, 4), "float", TRAIN),
    ("batchnorm1d/momentum=1", "batchnorm1d(momentum=1)", bn1(momentum=1.0), (6, 4), "float", TRAIN),
    ("batchnorm2d", "batchnorm2d", bn2(), (3, 2, 3, 3), "float", BOTH),
    ("batchnorm2d/affine=false", "batchnorm2d(affine=false)", bn2(affine=False), (3, 2, 3, 3), "float", BOTH),
    ("batchnorm2d/track_running_stats=false", "batchnorm2d(track_running_stats=false)",
     bn2(track_running_stats=False), (3, 2, 3, 3), "float", BOTH),
    ("batchnorm2d/affine=false,track_running_stats=false", "batchnorm2d(affine=false,track_running_stats=false)",
     bn2(affine=False, track_running_stats=False), (3, 2, 3, 3), "float", BOTH),
    ("batchnorm2d/eps,momentum", "batchnorm2d(eps=0.01,momentum=0.5)", bn2(eps=1e-2, momentum=0.5), (3, 2, 3, 3), "float", BOTH),
    # Layer norm over the last dimension.
    ("layernorm", "layernorm", ln(), (5, 6), "float", BOTH),
    ("layernorm/3d", "layernorm", ln(), (2, 3, 6), "float", TRAIN),
    ("layernorm/elementwise_affine=false", "layernorm(elementwise_affine=false)", ln(elementwise_affine=False), (5, 6), "float", TRAIN),
    ("layernorm/eps", "layernorm(eps=0.1)", ln(eps=0.1), (5, 6), "float", TRAIN),
    # Dropout: torch's masks cannot be matched, so only what is exact:
    # evaluation (the identity), p = 0 (the identity) and p = 1 (zeros).
    ("dropout/eval", "dropout", lambda d: nn.Dropout(), (4, 5), "float", ("eval",)),
    ("dropout/p=0", "dropout(0)", lambda d: nn.Dropout(0.0), (4, 5), "float", BOTH),
    ("dropout/p=1", "dropout(1)", lambda d: nn.Dropout(1.0), (4, 5), "float", TRAIN),
    # Embedding of ids (n) and (n, l).
    ("embedding/1d", "embedding(10,3)", lambda d: nn.Embedding(10, 3), (7,), "ids:10", TRAIN),
    ("embedding/2d", "embedding(10,3)", lambda d: nn.Embedding(10, 3), (4, 3), "ids:10", TRAIN),
]


def infer(shape, spec):
    """The input size a layer's constructor takes first."""
    if spec.startswith(("batchnorm",)):
        return shape[1]
    return shape[-1]


def layer_case(name, spec, factory, shape, kind, modes):
    # Seeds keyed by the case's name: adding a case changes no other.
    key = zlib.crc32(name.encode())
    gen = torch.Generator().manual_seed(key)
    torch.manual_seed(key + 1)  # torch's default initialization
    model = nn.Sequential(factory(infer(shape, spec)))
    with torch.no_grad():
        for pname, p in model.named_parameters():
            if pname.endswith("weight") and isinstance(model[0], (nn.BatchNorm1d, nn.BatchNorm2d, nn.LayerNorm)):
                p.copy_(1 + 0.3 * torch.randn(p.shape, generator=gen))
            elif pname.endswith("bias") and isinstance(model[0], (nn.BatchNorm1d, nn.BatchNorm2d, nn.LayerNorm)):
                p.copy_(0.2 * torch.randn(p.shape, generator=gen))
        for bname, b in model.named_buffers():
            if bname.endswith("running_mean"):
                b.copy_(0.3 * torch.randn(b.shape, generator=gen))
            elif bname.endswith("running_var"):
                b.copy_(0.5 + torch.rand(b.shape, generator=gen))
            elif bname.endswith("num_batches_tracked"):
                b.fill_(3)
    if kind.startswith("ids:"):
        x = torch.randint(0, int(kind[4:]), shape, generator=gen)
    else:
        x = 1.5 * torch.randn(shape, generator=gen) + 0.2
        if kind == "zeros":
            x.view(-1)[::4] = 0.0
    out_shape = model.eval()(x).shape
    u = torch.randn(out_shape, generator=gen)
    case = {
        "name": name, "spec": spec, "shape": list(shape), "ids": kind.startswith("ids:"),
        "x": flat(x.to(torch.float64)), "upstream": flat(u),
        "params": {k: flat(v) for k, v in model.named_parameters()},
        "buffers": {k: flat(v.to(torch.float64)) for k, v in model.named_buffers()},
        "modes": {},
    }
    for mode in modes:
        m = copy.deepcopy(model)
        m.train(mode == "train")
        xx = x.clone()
        if not case["ids"]:
            xx.requires_grad_(True)
        y = m(xx)
        (y * u).sum().backward()
        case["modes"][mode] = {
            "y": flat(y), "y_shape": list(y.shape),
            "dx": None if case["ids"] else flat(xx.grad),
            "grads": {k: flat(p.grad) if p.grad is not None else [0.0] * p.numel() for k, p in m.named_parameters()},
            "buffers": {k: flat(v.to(torch.float64)) for k, v in m.named_buffers()},
        }
    return case


# Training trajectories: (name, Descent spec, input (a DATA key), torch
# module factory). A network is one row here; the Go test needs nothing
# more (a conv net adds an image entry to DATA if it needs one).
N, D, K, L, V = 12, 4, 3, 5, 20
NETS = [
    ("layernorm-gelu", "linear(16) layernorm gelu linear(3)", "float",
     lambda: nn.Sequential(nn.Linear(D, 16), nn.LayerNorm(16), nn.GELU(), nn.Linear(16, K))),
    ("residual-mlp", "linear(8) residual(linear(8) relu linear(8)) relu linear(3)", "float",
     lambda: nn.Sequential(nn.Linear(D, 8), Residual(nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 8)), nn.ReLU(), nn.Linear(8, K))),
    ("embedding", "embedding(20,4) flatten linear(3)", "ids",
     lambda: nn.Sequential(nn.Embedding(V, 4), nn.Flatten(), nn.Linear(L * 4, K))),
    # The linear layer before batch norm has no bias: batch norm removes
    # any per-channel shift, so that bias's gradient is zero up to rounding,
    # and adaptive optimizers (adagrad, rmsprop, adam, adamw) would turn rounding
    # noise into steps of size lr. With a bias, gd/momentum/nesterov would
    # be calm; bias=false keeps one network for every optimizer.
    ("batchnorm", "linear(8,bias=false) batchnorm1d relu linear(3)", "float",
     lambda: nn.Sequential(nn.Linear(D, 8, bias=False), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, K))),
    ("batchnorm-bias-sgd", "linear(8) batchnorm1d relu linear(3)", "float",
     lambda: nn.Sequential(nn.Linear(D, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, K))),
    ("conv-pool-linear", "conv2d(4,3,padding=1) relu maxpool2d(2) flatten linear(3)", "image",
     lambda: nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(4 * 3 * 3, K))),
    ("conv-batchnorm", "conv2d(4,3,padding=1,bias=false) batchnorm2d relu avgpool2d(2) flatten linear(3)", "image",
     lambda: nn.Sequential(nn.Conv2d(1, 4, 3, padding=1, bias=False), nn.BatchNorm2d(4), nn.ReLU(), nn.AvgPool2d(2),
                           nn.Flatten(), nn.Linear(4 * 3 * 3, K))),
]

O = torch.optim
# (name, lr, torch factory): the Go test builds optimizers.Config{Name, LR}.
OPTIMIZERS = [
    ("gd", 0.1, lambda ps, lr: O.SGD(ps, lr=lr)),
    ("momentum", 0.05, lambda ps, lr: O.SGD(ps, lr=lr, momentum=0.9)),
    ("nesterov", 0.05, lambda ps, lr: O.SGD(ps, lr=lr, momentum=0.9, nesterov=True)),
    ("adagrad", 0.05, lambda ps, lr: O.Adagrad(ps, lr=lr)),
    ("rmsprop", 0.005, lambda ps, lr: O.RMSprop(ps, lr=lr)),
    ("adam", 0.01, lambda ps, lr: O.Adam(ps, lr=lr)),
    ("adamw", 0.01, lambda ps, lr: O.AdamW(ps, lr=lr)),
]
# Networks whose rows are restricted to some optimizers.
ONLY = {"batchnorm-bias-sgd": ("gd", "momentum", "nesterov")}
RECORD = (1, 10, 20)
STEPS = max(RECORD)

# CHAOS bounds how far torch's own trajectory may move, at any recorded
# step, when every gradient is perturbed by rounding-sized noise: 2.2e-16
# times the step's largest gradient component, so near-zero gradients are
# perturbed too. Exact zeros (dead relu units, embedding rows no id looks
# up) stay exact in any implementation and are left alone. A case above
# CHAOS would amplify rounding beyond what the Go test's 1e-10 (relative
# to each tensor's largest value) allows, and is refused.
CHAOS = 1e-11

gdata = torch.Generator().manual_seed(20261201)
# The inputs networks train on, by name: each row's shape and the rows.
DATA = {
    "float": torch.randn(N, D, generator=gdata),
    "ids": torch.randint(0, V, (N, L), generator=gdata),
    "image": torch.randn(N, 1, 6, 6, generator=gdata),
}
LABELS = torch.randint(0, K, (N,), generator=gdata)


def train(make, inp, opt_make, lr, init, noise=0.0):
    torch.manual_seed(0)
    model = make()
    model.load_state_dict(init)
    model.train()
    opt = opt_make(list(model.parameters()), lr)
    ng = torch.Generator().manual_seed(7)
    losses, rec = [], {}
    x = DATA[inp]
    for step in range(1, STEPS + 1):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x), LABELS)
        loss.backward()
        if noise:
            big = max(p.grad.abs().max().item() for p in model.parameters())
            for p in model.parameters():
                r = torch.randn(p.grad.shape, generator=ng)
                p.grad.add_(noise * big * r * (p.grad != 0))
        losses.append(loss.item())
        opt.step()
        if step in RECORD:
            rec[str(step)] = {
                "params": {k: flat(v) for k, v in model.named_parameters()},
                "buffers": {k: flat(v.to(torch.float64)) for k, v in model.named_buffers()},
            }
    return losses, rec


def calm(name, a, b):
    for step, r in a.items():
        for part in ("params", "buffers"):
            for k, v in r[part].items():
                w = b[step][part][k]
                scale = max(abs(t) for t in v) or 1.0
                dev = max(abs(s - t) for s, t in zip(v, w)) / scale
                if dev > CHAOS:
                    raise SystemExit(f"{name}: step {step}: rounding-sized gradient noise moves {k} by {dev:.1e} "
                                     f"(relative to its largest value); choose a calmer case")


def trajectories():
    out = {"torch": torch.__version__, "n": N, "k": K, "labels": LABELS.tolist(),
           "data": {k: {"shape": list(v.shape[1:]), "x": flat(v.to(torch.float64))} for k, v in DATA.items()},
           "nets": [], "cases": []}
    for name, spec, inp, make in NETS:
        torch.manual_seed(zlib.crc32(name.encode()))
        init = make().state_dict()
        out["nets"].append({"name": name, "spec": spec, "input": inp,
                            "params": {k: flat(v.to(torch.float64)) for k, v in init.items()
                                       if not k.endswith(("running_mean", "running_var", "num_batches_tracked"))}})
        for oname, lr, omake in OPTIMIZERS:
            if name in ONLY and oname not in ONLY[name]:
                continue
            losses, rec = train(make, inp, omake, lr, init)
            _, noisy = train(make, inp, omake, lr, init, noise=2.2e-16)
            calm(f"{name}/{oname}", rec, noisy)
            out["cases"].append({"net": name, "optimizer": oname, "lr": lr, "losses": losses, "steps": rec})
    return out


def main():
    layers = {"torch": torch.__version__,
              "cases": [layer_case(*c) for c in LAYERS]}
    for fname, obj in (("layers.json", layers), ("trajectories.json", trajectories())):
        path = os.path.join(HERE, fname)
        with open(path, "w") as f:
            json.dump(obj, f, separators=(",", ":"))
            f.write("\n")
        print("wrote", path, len(obj["cases"]), "cases")


if __name__ == "__main__":
    main()
