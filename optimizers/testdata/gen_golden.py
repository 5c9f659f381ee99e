#!/usr/bin/python3
"""Golden optimizer trajectories from PyTorch (torch.optim), float64 and float32.

Run:  /usr/bin/python3 optimizers/testdata/gen_golden.py [float32]
(or `go test ./optimizers -run Golden -update`, which runs both). Without
an argument it writes optimizers/testdata/golden.json beside itself, the
float64 trajectories; with "float32" it writes golden32.json, the float32
ones (see FLOAT32 below). The Go tests only read those files; they never
run Python.

Two problems, from fixed data and initial parameters written into the JSON:
  linear  X 20x3, y 20, mean squared error of X·W + b, W (3,1), b (1)
  mlp     X 30x4, integer labels in {0,1,2}, softmax cross-entropy of
          tanh(X·W1 + b1)·W2 + b2, W1 (4,5), b1 (5), W2 (5,3), b2 (3)
Every case runs 100 full-batch steps with torch.optim's own optimizers,
torch.optim.lr_scheduler's own schedulers and torch.nn.utils' clipping, and
records every parameter (flattened row-major) after steps 1, 10 and 100.
Each schedule's learning rates for the 100 steps are recorded too.
Every case is first checked to be reproducible at all (CHAOS below).
"""
import json
import os
import sys

FLOAT32 = sys.argv[1:] == ["float32"]
if FLOAT32:
    # The baseline CPU kernels: plain float32 operations, each rounded on
    # its own. The AVX2/AVX-512 kernels fuse a multiply and an add (fmadd)
    # in their vector loops but not in their scalar tails, so their last
    # bit depends on a tensor's size.
    os.environ["ATEN_CPU_CAPABILITY"] = "default"

import torch

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)  # one reduction order
gen = torch.Generator().manual_seed(20261123)


def rnd(*shape):
    return torch.randn(*shape, generator=gen)


X1 = rnd(20, 3)
y1 = (X1 @ torch.tensor([[1.5], [-2.0], [0.7]]) + 0.3 + 0.1 * rnd(20, 1)).flatten()
init1 = {"W": 0.1 * rnd(3, 1), "b": 0.1 * rnd(1)}

X2 = rnd(30, 4)
labels2 = torch.randint(0, 3, (30,), generator=gen)
init2 = {"W1": 0.5 * rnd(4, 5), "b1": 0.1 * rnd(5), "W2": 0.5 * rnd(5, 3), "b2": 0.1 * rnd(3)}


def loss_linear(p):
    return (((X1 @ p["W"]).flatten() + p["b"] - y1) ** 2).mean()


def loss_mlp(p):
    h = torch.tanh(X2 @ p["W1"] + p["b1"])
    return torch.nn.functional.cross_entropy(h @ p["W2"] + p["b2"], labels2)


PROBLEMS = {
    "linear": (init1, loss_linear, ["W", "b"]),
    "mlp": (init2, loss_mlp, ["W1", "b1", "W2", "b2"]),
}

O = torch.optim
S = torch.optim.lr_scheduler

# (case name, our Config as flag-named options, torch optimizer factory).
# Each optimizer: its defaults (lr included), then each option alone.
CASES = [
    ("gd", {"name": "gd"}, lambda ps: O.SGD(ps, lr=0.01)),
    ("gd/lr", {"name": "gd", "lr": 0.1}, lambda ps: O.SGD(ps, lr=0.1)),
    ("gd/weight-decay", {"name": "gd", "weight-decay": 0.1}, lambda ps: O.SGD(ps, lr=0.01, weight_decay=0.1)),
    ("momentum", {"name": "momentum"}, lambda ps: O.SGD(ps, lr=0.01, momentum=0.9)),
    ("momentum/momentum", {"name": "momentum", "momentum": 0.5}, lambda ps: O.SGD(ps, lr=0.01, momentum=0.5)),
    ("momentum/momentum-0", {"name": "momentum", "momentum": 0.0}, lambda ps: O.SGD(ps, lr=0.01, momentum=0.0)),
    ("momentum/dampening", {"name": "momentum", "dampening": 0.3}, lambda ps: O.SGD(ps, lr=0.01, momentum=0.9, dampening=0.3)),
    ("momentum/weight-decay", {"name": "momentum", "weight-decay": 0.05}, lambda ps: O.SGD(ps, lr=0.01, momentum=0.9, weight_decay=0.05)),
    ("nesterov", {"name": "nesterov"}, lambda ps: O.SGD(ps, lr=0.01, momentum=0.9, nesterov=True)),
    ("nesterov/momentum", {"name": "nesterov", "momentum": 0.7}, lambda ps: O.SGD(ps, lr=0.01, momentum=0.7, nesterov=True)),
    ("nesterov/weight-decay", {"name": "nesterov", "weight-decay": 0.05}, lambda ps: O.SGD(ps, lr=0.01, momentum=0.9, nesterov=True, weight_decay=0.05)),
    ("adagrad", {"name": "adagrad"}, lambda ps: O.Adagrad(ps)),
    ("adagrad/lr-decay", {"name": "adagrad", "lr-decay": 0.05}, lambda ps: O.Adagrad(ps, lr_decay=0.05)),
    ("adagrad/initial-accumulator", {"name": "adagrad", "initial-accumulator": 0.5}, lambda ps: O.Adagrad(ps, initial_accumulator_value=0.5)),
    ("adagrad/eps", {"name": "adagrad", "eps": 1e-2}, lambda ps: O.Adagrad(ps, eps=1e-2)),
    ("adagrad/weight-decay", {"name": "adagrad", "weight-decay": 0.05}, lambda ps: O.Adagrad(ps, weight_decay=0.05)),
    ("rmsprop", {"name": "rmsprop"}, lambda ps: O.RMSprop(ps)),
    # At lr 0.01, alpha 0.9 is chaotic on the MLP by step 100 (see CHAOS).
    ("rmsprop/alpha", {"name": "rmsprop", "lr": 0.003, "alpha": 0.9}, lambda ps: O.RMSprop(ps, lr=0.003, alpha=0.9)),
    ("rmsprop/eps", {"name": "rmsprop", "eps": 1e-2}, lambda ps: O.RMSprop(ps, eps=1e-2)),
    ("rmsprop/momentum", {"name": "rmsprop", "momentum": 0.8}, lambda ps: O.RMSprop(ps, momentum=0.8)),
    ("rmsprop/centered", {"name": "rmsprop", "centered": True}, lambda ps: O.RMSprop(ps, centered=True)),
    ("rmsprop/centered-momentum", {"name": "rmsprop", "centered": True, "momentum": 0.5}, lambda ps: O.RMSprop(ps, centered=True, momentum=0.5)),
    ("rmsprop/weight-decay", {"name": "rmsprop", "weight-decay": 0.05}, lambda ps: O.RMSprop(ps, weight_decay=0.05)),
    ("adam", {"name": "adam"}, lambda ps: O.Adam(ps)),
    ("adam/lr", {"name": "adam", "lr": 0.02}, lambda ps: O.Adam(ps, lr=0.02)),
    ("adam/beta1", {"name": "adam", "beta1": 0.5}, lambda ps: O.Adam(ps, betas=(0.5, 0.999))),
    ("adam/beta2", {"name": "adam", "beta2": 0.9}, lambda ps: O.Adam(ps, betas=(0.9, 0.9))),
    ("adam/eps", {"name": "adam", "eps": 1e-3}, lambda ps: O.Adam(ps, eps=1e-3)),
    ("adam/amsgrad", {"name": "adam", "amsgrad": True}, lambda ps: O.Adam(ps, amsgrad=True)),
    ("adam/weight-decay", {"name": "adam", "weight-decay": 0.05}, lambda ps: O.Adam(ps, weight_decay=0.05)),
    ("adamw", {"name": "adamw"}, lambda ps: O.AdamW(ps)),
    ("adamw/weight-decay", {"name": "adamw", "weight-decay": 0.5}, lambda ps: O.AdamW(ps, weight_decay=0.5)),
    ("adamw/weight-decay-0", {"name": "adamw", "weight-decay": 0.0}, lambda ps: O.AdamW(ps, weight_decay=0.0)),
    ("adamw/betas", {"name": "adamw", "beta1": 0.8, "beta2": 0.99}, lambda ps: O.AdamW(ps, betas=(0.8, 0.99))),
    ("adamw/eps", {"name": "adamw", "eps": 1e-3}, lambda ps: O.AdamW(ps, eps=1e-3)),
    ("adamw/amsgrad", {"name": "adamw", "amsgrad": True}, lambda ps: O.AdamW(ps, amsgrad=True)),
]

# (spec, torch scheduler factory): our ParseSchedule spec and torch's own.
SCHEDULES = {
    "step:30:0.5": lambda o: S.StepLR(o, step_size=30, gamma=0.5),
    "exp:0.97": lambda o: S.ExponentialLR(o, gamma=0.97),
    "cosine:40:0.002": lambda o: S.CosineAnnealingLR(o, T_max=40, eta_min=0.002),
    "warmup:10+cosine:80": lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=1 / 3, total_iters=10),
                                                        S.CosineAnnealingLR(o, T_max=80)], milestones=[10]),
    "warmup:5:0.1+step:30:0.5": lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.1, total_iters=5),
                                                             S.StepLR(o, step_size=30, gamma=0.5)], milestones=[5]),
    "warmup:20": lambda o: S.LinearLR(o, start_factor=1 / 3, total_iters=20),
}

SCHEDULE_CASES = [
    ("gd/schedule-step", {"name": "gd", "lr": 0.1, "schedule": "step:30:0.5"}, lambda ps: O.SGD(ps, lr=0.1)),
    ("momentum/schedule-exp", {"name": "momentum", "schedule": "exp:0.97"}, lambda ps: O.SGD(ps, lr=0.01, momentum=0.9)),
    ("adam/schedule-cosine", {"name": "adam", "lr": 0.02, "schedule": "cosine:40:0.002"}, lambda ps: O.Adam(ps, lr=0.02)),
    ("adamw/schedule-warmup-cosine", {"name": "adamw", "lr": 0.02, "weight-decay": 0.5, "schedule": "warmup:10+cosine:80"},
     lambda ps: O.AdamW(ps, lr=0.02, weight_decay=0.5)),
    ("rmsprop/schedule-warmup-step", {"name": "rmsprop", "schedule": "warmup:5:0.1+step:30:0.5"}, lambda ps: O.RMSprop(ps)),
    ("adagrad/schedule-exp-lr-decay", {"name": "adagrad", "lr-decay": 0.05, "schedule": "exp:0.97"}, lambda ps: O.Adagrad(ps, lr_decay=0.05)),
    ("nesterov/schedule-warmup", {"name": "nesterov", "schedule": "warmup:20"}, lambda ps: O.SGD(ps, lr=0.01, momentum=0.9, nesterov=True)),
]

# (case name, config, factory, clipping): clip_grad_norm_ / clip_grad_value_
# before every step.
CLIP_CASES = [
    ("gd/clip-norm", {"name": "gd", "lr": 0.1, "clip-norm": 0.2}, lambda ps: O.SGD(ps, lr=0.1), ("norm", 0.2)),
    ("adam/clip-norm", {"name": "adam", "clip-norm": 0.05}, lambda ps: O.Adam(ps), ("norm", 0.05)),
    ("rmsprop/clip-norm-loose", {"name": "rmsprop", "clip-norm": 100}, lambda ps: O.RMSprop(ps), ("norm", 100.0)),
    ("momentum/clip-value", {"name": "momentum", "clip-value": 0.05}, lambda ps: O.SGD(ps, lr=0.01, momentum=0.9), ("value", 0.05)),
    ("adamw/clip-value", {"name": "adamw", "clip-value": 0.02}, lambda ps: O.AdamW(ps), ("value", 0.02)),
]

RECORD = (1, 10, 100)


# CHAOS bounds how far torch's own trajectory may move, at any recorded
# step, when every gradient is perturbed by a relative 2.2e-16 (one ulp):
# a case above it amplifies rounding so much that no implementation that
# rounds differently could match it to the Go test's 1e-10, and is refused.
CHAOS = 1e-11


def run(problem, make, sched=None, clip=None, noise=0.0):
    init, lossf, names = PROBLEMS[problem]
    p = {k: v.clone().requires_grad_(True) for k, v in init.items()}
    opt = make([p[k] for k in names])
    sch = SCHEDULES[sched](opt) if sched else None
    ng = torch.Generator().manual_seed(7)
    out, lrs = {}, []
    for step in range(1, max(RECORD) + 1):
        opt.zero_grad()
        lossf(p).backward()
        if noise:
            for k in names:
                p[k].grad.mul_(1 + noise * torch.randn(p[k].grad.shape, generator=ng))
        if clip and clip[0] == "norm":
            torch.nn.utils.clip_grad_norm_([p[k] for k in names], clip[1])
        elif clip:
            torch.nn.utils.clip_grad_value_([p[k] for k in names], clip[1])
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        if sch:
            sch.step()
        if step in RECORD:
            out[str(step)] = {k: p[k].detach().flatten().tolist() for k in names}
    return out, lrs


def trajectory(problem, name, make, sched=None, clip=None):
    """The recorded steps, after checking the case against CHAOS."""
    steps, _ = run(problem, make, sched, clip)
    noisy, _ = run(problem, make, sched, clip, noise=2.2e-16)
    for step, ps in steps.items():
        for k, v in ps.items():
            for a, b in zip(v, noisy[step][k]):
                if abs(a - b) > CHAOS * max(1.0, abs(a)):
                    raise SystemExit(f"{problem}/{name}: step {step}: 1-ulp gradient noise moves {k} by {abs(a - b):.1e}; choose a calmer case")
    return steps


def main():
    golden = {
        "torch": torch.__version__,
        "problems": {
            "linear": {"n": 20, "d": 3, "X": X1.flatten().tolist(), "y": y1.tolist(),
                       "init": {k: v.flatten().tolist() for k, v in init1.items()}},
            "mlp": {"n": 30, "d": 4, "hidden": 5, "k": 3, "X": X2.flatten().tolist(), "labels": labels2.tolist(),
                    "init": {k: v.flatten().tolist() for k, v in init2.items()}},
        },
        "schedules": {},
        "cases": [],
    }
    for spec in SCHEDULES:
        _, golden["schedules"][spec] = run("linear", lambda ps: O.SGD(ps, lr=0.1), sched=spec)
    for problem in PROBLEMS:
        for name, cfg, make in CASES:
            steps = trajectory(problem, name, make)
            golden["cases"].append({"name": name, "problem": problem, "config": cfg, "steps": steps})
        for name, cfg, make in SCHEDULE_CASES:
            steps = trajectory(problem, name, make, sched=cfg["schedule"])
            golden["cases"].append({"name": name, "problem": problem, "config": cfg, "steps": steps})
        for name, cfg, make, clip in CLIP_CASES:
            steps = trajectory(problem, name, make, clip=clip)
            golden["cases"].append({"name": name, "problem": problem, "config": cfg, "steps": steps})
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden.json")
    with open(path, "w") as f:
        json.dump(golden, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", path, len(golden["cases"]), "cases")


# FLOAT32: the same cases on float32 parameters with float32 optimizer
# state, torch.optim's single-tensor (foreach=False) implementations, which
# are torch 1.13's defaults. So that the trajectories test the optimizers
# and not the gradients, every gradient is computed in float64 at the
# float32 parameters (made float64) and rounded to float32, as the Go test
# does with its hand-written float64 gradients. clip_grad_norm_ is given
# the parameters in name order, the order in which the Go clipping sums
# the norms. Every case is checked against CHAOS32: one float32 ulp of
# gradient noise must not move it by more than CHAOS32 at any recorded step.
CHAOS32 = 1e-4


def run32(problem, make, sched=None, clip=None, noise=0.0):
    init, lossf, names = PROBLEMS[problem]
    p = {k: v.float().clone().requires_grad_(True) for k, v in init.items()}
    opt = make([p[k] for k in names])
    assert not opt.defaults.get("foreach"), "single-tensor implementations only"
    sch = SCHEDULES[sched](opt) if sched else None
    ng = torch.Generator().manual_seed(7)
    out = {}
    for step in range(1, max(RECORD) + 1):
        opt.zero_grad()
        p64 = {k: p[k].detach().double().requires_grad_(True) for k in names}
        lossf(p64).backward()
        for k in names:
            g = p64[k].grad
            if noise:
                g = g * (1 + noise * torch.randn(g.shape, generator=ng, dtype=torch.float64))
            p[k].grad = g.float()
        ordered = [p[k] for k in sorted(names)]
        if clip and clip[0] == "norm":
            torch.nn.utils.clip_grad_norm_(ordered, clip[1])
        elif clip:
            torch.nn.utils.clip_grad_value_(ordered, clip[1])
        opt.step()
        if sch:
            sch.step()
        if step in RECORD:
            out[str(step)] = {k: p[k].detach().flatten().tolist() for k in names}
    return out


def trajectory32(problem, name, make, sched=None, clip=None):
    steps = run32(problem, make, sched, clip)
    noisy = run32(problem, make, sched, clip, noise=6e-8)
    for step, ps in steps.items():
        for k, v in ps.items():
            for a, b in zip(v, noisy[step][k]):
                if abs(a - b) > CHAOS32 * max(1.0, abs(a)):
                    raise SystemExit(f"float32 {problem}/{name}: step {step}: 1-ulp gradient noise moves {k} by {abs(a - b):.1e}; choose a calmer case")
    return steps


def main32():
    golden = {"torch": torch.__version__, "dtype": "float32", "cases": []}
    for problem in PROBLEMS:
        for name, cfg, make in CASES:
            golden["cases"].append({"name": name, "problem": problem, "config": cfg, "steps": trajectory32(problem, name, make)})
        for name, cfg, make in SCHEDULE_CASES:
            steps = trajectory32(problem, name, make, sched=cfg["schedule"])
            golden["cases"].append({"name": name, "problem": problem, "config": cfg, "steps": steps})
        for name, cfg, make, clip in CLIP_CASES:
            steps = trajectory32(problem, name, make, clip=clip)
            golden["cases"].append({"name": name, "problem": problem, "config": cfg, "steps": steps})
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden32.json")
    with open(path, "w") as f:
        json.dump(golden, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", path, len(golden["cases"]), "cases")


if __name__ == "__main__":
    main32() if FLOAT32 else main()
