#!/usr/bin/python3
"""Generate golden optimizer trajectories with PyTorch (torch.optim), float64.

Run from the repository root:  /usr/bin/python3 optimizers/testdata/gen_golden.py
It writes optimizers/testdata/golden.json. The Go tests read that file and
never run Python. Each case records the parameters after steps 1, 10, 100.
"""
import json, math, os
import torch

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)  # deterministic reductions
g = torch.Generator().manual_seed(20261123)

def rnd(*shape):
    return torch.randn(*shape, generator=g)

# Problem 1: linear regression, mse. X 20x3, W (3,1), b (1).
X1 = rnd(20, 3)
y1 = X1 @ torch.tensor([[1.5], [-2.0], [0.7]]) + 0.3 + 0.1 * rnd(20, 1)
init1 = {"W": 0.1 * rnd(3, 1), "b": 0.1 * rnd(1)}

# Problem 2: MLP 4 -> 5 (tanh) -> 3, softmax cross-entropy, 30 samples.
X2 = rnd(30, 4)
labels2 = torch.randint(0, 3, (30,), generator=g)
init2 = {"W1": 0.5 * rnd(4, 5), "b1": 0.1 * rnd(5), "W2": 0.5 * rnd(5, 3), "b2": 0.1 * rnd(3)}

def loss_linear(p):
    return ((X1 @ p["W"] + p["b"] - y1) ** 2).mean()

def loss_mlp(p):
    h = torch.tanh(X2 @ p["W1"] + p["b1"])
    return torch.nn.functional.cross_entropy(h @ p["W2"] + p["b2"], labels2)

problems = {
    "linear": (init1, loss_linear, ["W", "b"]),
    "mlp": (init2, loss_mlp, ["W1", "b1", "W2", "b2"]),
}

# Each case: (name, our config with flag names, torch constructor, extras).
def sgd(**kw): return lambda ps: torch.optim.SGD(ps, **kw)
cases = [
    ("gd", {"name": "gd", "lr": 0.05}, sgd(lr=0.05)),
    ("gd/weight-decay", {"name": "gd", "lr": 0.05, "weight-decay": 0.1}, sgd(lr=0.05, weight_decay=0.1)),
    ("momentum", {"name": "momentum", "lr": 0.05}, sgd(lr=0.05, momentum=0.9)),
    ("momentum/0.5", {"name": "momentum", "lr": 0.05, "momentum": 0.5}, sgd(lr=0.05, momentum=0.5)),
    ("momentum/dampening", {"name": "momentum", "lr": 0.05, "dampening": 0.3}, sgd(lr=0.05, momentum=0.9, dampening=0.3)),
    ("momentum/weight-decay", {"name": "momentum", "lr": 0.05, "weight-decay": 0.05}, sgd(lr=0.05, momentum=0.9, weight_decay=0.05)),
    ("nesterov", {"name": "nesterov", "lr": 0.05}, sgd(lr=0.05, momentum=0.9, nesterov=True)),
    ("nesterov/0.7", {"name": "nesterov", "lr": 0.05, "momentum": 0.7}, sgd(lr=0.05, momentum=0.7, nesterov=True)),
    ("nesterov/weight-decay", {"name": "nesterov", "lr": 0.05, "weight-decay": 0.05}, sgd(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.05)),
    ("adagrad", {"name": "adagrad", "lr": 0.1}, lambda ps: torch.optim.Adagrad(ps, lr=0.1)),
    ("adagrad/lr-decay", {"name": "adagrad", "lr": 0.1, "lr-decay": 0.01}, lambda ps: torch.optim.Adagrad(ps, lr=0.1, lr_decay=0.01)),
    ("adagrad/initial-accumulator", {"name": "adagrad", "lr": 0.1, "initial-accumulator": 0.5}, lambda ps: torch.optim.Adagrad(ps, lr=0.1, initial_accumulator_value=0.5)),
    ("adagrad/eps", {"name": "adagrad", "lr": 0.1, "eps": 1e-3}, lambda ps: torch.optim.Adagrad(ps, lr=0.1, eps=1e-3)),
    ("adagrad/weight-decay", {"name": "adagrad", "lr": 0.1, "weight-decay": 0.05}, lambda ps: torch.optim.Adagrad(ps, lr=0.1, weight_decay=0.05)),
    ("rmsprop", {"name": "rmsprop", "lr": 0.01}, lambda ps: torch.optim.RMSprop(ps, lr=0.01)),
    ("rmsprop/alpha", {"name": "rmsprop", "lr": 0.01, "alpha": 0.9}, lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.9)),
    ("rmsprop/eps", {"name": "rmsprop", "lr": 0.01, "eps": 1e-3}, lambda ps: torch.optim.RMSprop(ps, lr=0.01, eps=1e-3)),
    ("rmsprop/momentum", {"name": "rmsprop", "lr": 0.01, "momentum": 0.8}, lambda ps: torch.optim.RMSprop(ps, lr=0.01, momentum=0.8)),
    ("rmsprop/centered", {"name": "rmsprop", "lr": 0.01, "centered": True}, lambda ps: torch.optim.RMSprop(ps, lr=0.01, centered=True)),
    ("rmsprop/centered-momentum", {"name": "rmsprop", "lr": 0.01, "centered": True, "momentum": 0.5}, lambda ps: torch.optim.RMSprop(ps, lr=0.01, centered=True, momentum=0.5)),
    ("rmsprop/weight-decay", {"name": "rmsprop", "lr": 0.01, "weight-decay": 0.05}, lambda ps: torch.optim.RMSprop(ps, lr=0.01, weight_decay=0.05)),
    ("adam", {"name": "adam", "lr": 0.01}, lambda ps: torch.optim.Adam(ps, lr=0.01)),
    ("adam/betas", {"name": "adam", "lr": 0.01, "beta1": 0.5, "beta2": 0.9}, lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.5, 0.9))),
    ("adam/eps", {"name": "adam", "lr": 0.01, "eps": 1e-4}, lambda ps: torch.optim.Adam(ps, lr=0.01, eps=1e-4)),
    ("adam/amsgrad", {"name": "adam", "lr": 0.01, "amsgrad": True}, lambda ps: torch.optim.Adam(ps, lr=0.01, amsgrad=True)),
    ("adam/weight-decay", {"name": "adam", "lr": 0.01, "weight-decay": 0.05}, lambda ps: torch.optim.Adam(ps, lr=0.01, weight_decay=0.05)),
    ("adamw", {"name": "adamw", "lr": 0.01}, lambda ps: torch.optim.AdamW(ps, lr=0.01)),
    ("adamw/weight-decay", {"name": "adamw", "lr": 0.01, "weight-decay": 0.2}, lambda ps: torch.optim.AdamW(ps, lr=0.01, weight_decay=0.2)),
    ("adamw/amsgrad", {"name": "adamw", "lr": 0.01, "amsgrad": True}, lambda ps: torch.optim.AdamW(ps, lr=0.01, amsgrad=True)),
]

# Schedules (LambdaLR with the closed forms) and clipping, on a few optimizers.
def lam(fn): return fn
schedules = [
    ("gd/schedule-step", {"name": "gd", "lr": 0.05, "schedule": "step:30:0.5"}, sgd(lr=0.05), lambda t: 0.5 ** (t // 30)),
    ("momentum/schedule-exp", {"name": "momentum", "lr": 0.05, "schedule": "exp:0.97"}, sgd(lr=0.05, momentum=0.9), lambda t: 0.97 ** t),
    ("adam/schedule-cosine", {"name": "adam", "lr": 0.01, "schedule": "cosine:80:0.001"}, lambda ps: torch.optim.Adam(ps, lr=0.01),
     lambda t: (0.001 + (0.01 - 0.001) * (1 + math.cos(math.pi * t / 80)) / 2) / 0.01 if t < 80 else 0.1),
    ("rmsprop/schedule-warmup", {"name": "rmsprop", "lr": 0.01, "schedule": "warmup:10+step:40:0.5"}, lambda ps: torch.optim.RMSprop(ps, lr=0.01),
     lambda t: (t + 1) / 10 if t < 10 else 0.5 ** ((t - 10) // 40)),
]
clips = [
    ("gd/clip-norm", {"name": "gd", "lr": 0.05, "clip-norm": 0.5}, sgd(lr=0.05), ("norm", 0.5)),
    ("adam/clip-norm", {"name": "adam", "lr": 0.01, "clip-norm": 0.1}, lambda ps: torch.optim.Adam(ps, lr=0.01), ("norm", 0.1)),
    ("momentum/clip-value", {"name": "momentum", "lr": 0.05, "clip-value": 0.2}, sgd(lr=0.05, momentum=0.9), ("value", 0.2)),
]

RECORD = (1, 10, 100)

def run(problem, make, sched=None, clip=None, noise=0.0):
    init, lossf, names = problems[problem]
    ng = torch.Generator().manual_seed(7)
    p = {k: v.clone().requires_grad_(True) for k, v in init.items()}
    opt = make([p[k] for k in names])
    sch = torch.optim.lr_scheduler.LambdaLR(opt, sched) if sched else None
    out = {}
    for step in range(1, max(RECORD) + 1):
        opt.zero_grad()
        lossf(p).backward()
        if noise:
            for k in names:
                p[k].grad.mul_(1 + noise * torch.randn(p[k].grad.shape, generator=ng))
        if clip:
            if clip[0] == "norm":
                torch.nn.utils.clip_grad_norm_([p[k] for k in names], clip[1])
            else:
                torch.nn.utils.clip_grad_value_([p[k] for k in names], clip[1])
        opt.step()
        if sch:
            sch.step()
        if step in RECORD:
            out[str(step)] = {k: p[k].detach().flatten().tolist() for k in names}
    return out

golden = {
    "torch": torch.__version__,
    "problems": {
        "linear": {"n": 20, "d": 3, "X": X1.flatten().tolist(), "y": y1.flatten().tolist(),
                   "init": {k: v.flatten().tolist() for k, v in init1.items()}},
        "mlp": {"n": 30, "d": 4, "hidden": 5, "k": 3, "X": X2.flatten().tolist(), "labels": labels2.tolist(),
                "init": {k: v.flatten().tolist() for k, v in init2.items()}},
    },
    "cases": [],
}
def sensitivity(clean, noisy):
    """Per recorded step: the largest relative change that 1-ulp (2e-16)
    gradient noise causes in torch's own trajectory. A trajectory that
    amplifies rounding this much cannot be matched more closely than that
    by any implementation that rounds differently."""
    out = {}
    for step, ps in clean.items():
        worst = 0.0
        for k, v in ps.items():
            for a, b in zip(v, noisy[step][k]):
                worst = max(worst, abs(a - b) / max(1.0, abs(a)))
        out[step] = worst
    return out

def case(problem, name, cfg, **kw):
    clean = run(problem, kw["make"], kw.get("sched"), kw.get("clip"))
    noisy = run(problem, kw["make"], kw.get("sched"), kw.get("clip"), noise=2e-16)
    return {"name": name, "problem": problem, "config": cfg, "steps": clean, "sensitivity": sensitivity(clean, noisy)}

for problem in ("linear", "mlp"):
    for name, cfg, make in cases:
        golden["cases"].append(case(problem, name, cfg, make=make))
    for name, cfg, make, sched in schedules:
        golden["cases"].append(case(problem, name, cfg, make=make, sched=sched))
    for name, cfg, make, clip in clips:
        golden["cases"].append(case(problem, name, cfg, make=make, clip=clip))

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden.json")
with open(path, "w") as f:
    json.dump(golden, f, indent=1)
print("wrote", path, len(golden["cases"]), "cases")
