#!/usr/bin/python3
"""Writes ops/testdata/conv/golden.json: PyTorch's outputs and gradients for
Descent's convolution and pooling ops.

Run from the repository root with Debian's python3-torch:

    /usr/bin/python3 ops/testdata/gen_conv_golden.py

Every case is float64. It holds the inputs, the op's options as given to
torch (an absent option is torch's default, which is also the zero value of
the Go option structs), a fixed random upstream gradient u, the forward
output y and the gradient of sum(u * y) for the input x and for every
parameter (w, and b when the convolution has a bias). The Go tests
(ops/conv_test.go) compare against these to 1e-10.
"""
import json
import os

import torch
import torch.nn.functional as F

gen = torch.Generator().manual_seed(20261201)


def randn(*shape):
    # Rounded to 6 decimals, so that the inputs print short and exactly.
    return torch.round(torch.randn(*shape, generator=gen, dtype=torch.float64), decimals=6)


def randint(hi, *shape):
    return torch.randint(0, hi, shape, generator=gen).double()


def tensor(t):
    # 14 significant digits: a relative error below 1e-13, far inside the
    # tests' 1e-10. Inputs are already short, and so exact.
    t = t.detach().contiguous()
    return {"shape": list(t.shape), "data": [float("%.14g" % v) for v in t.flatten().tolist()]}


cases = []


def record(name, op, opts, inputs, y, u):
    y.backward(u)
    cases.append({
        "name": name,
        "op": op,
        "opts": opts,
        "inputs": {k: tensor(v) for k, v in inputs.items()},
        "upstream": tensor(u),
        "output": tensor(y),
        "grads": {k: tensor(v.grad) for k, v in inputs.items()},
    })


def conv(name, op, xs, ws, bias=True, **opts):
    x = randn(*xs).requires_grad_()
    w = randn(*ws).requires_grad_()
    inputs = {"x": x, "w": w}
    b = None
    if bias:
        b = randn(ws[0]).requires_grad_()
        inputs["b"] = b
    f = F.conv2d if op == "conv2d" else F.conv1d
    y = f(x, w, b, **opts)
    record(name, op, opts, inputs, y, randn(*y.shape))


def maxpool(name, x, kernel, **opts):
    x = x.requires_grad_()
    y = F.max_pool2d(x, kernel, **opts)
    record(name, "maxpool2d", dict(kernel=kernel, **opts), {"x": x}, y, randn(*y.shape))


def avgpool(name, xs, kernel, **opts):
    x = randn(*xs).requires_grad_()
    y = F.avg_pool2d(x, kernel, **opts)
    record(name, "avgpool2d", dict(kernel=kernel, **opts), {"x": x}, y, randn(*y.shape))


def globalavg(name, xs):
    x = randn(*xs).requires_grad_()
    y = F.adaptive_avg_pool2d(x, 1).flatten(1)
    record(name, "globalavgpool2d", {}, {"x": x}, y, randn(*y.shape))


# conv2d: every option, with and without bias.
conv("conv2d default", "conv2d", (2, 3, 7, 6), (4, 3, 3, 3))
conv("conv2d default no bias", "conv2d", (2, 3, 7, 6), (4, 3, 3, 3), bias=False)
conv("conv2d stride 2 padding 1", "conv2d", (2, 3, 8, 7), (5, 3, 3, 3), stride=[2, 2], padding=[1, 1])
conv("conv2d rectangular kernel, stride (2, 1), padding (0, 2)", "conv2d", (2, 2, 9, 7), (3, 2, 3, 2), stride=[2, 1], padding=[0, 2])
conv("conv2d padding 2 > kernel/2", "conv2d", (3, 2, 4, 4), (3, 2, 3, 3), padding=[2, 2])
conv("conv2d dilation 2 padding 2", "conv2d", (2, 3, 9, 9), (4, 3, 3, 3), dilation=[2, 2], padding=[2, 2])
conv("conv2d dilation (2, 1) stride (1, 2) no bias", "conv2d", (1, 2, 10, 8), (2, 2, 2, 3), bias=False, dilation=[2, 1], stride=[1, 2])
conv("conv2d groups 2", "conv2d", (2, 4, 6, 5), (6, 2, 3, 3), groups=2, padding=[1, 1])
conv("conv2d groups 4 depthwise stride 2", "conv2d", (2, 4, 7, 7), (8, 1, 3, 3), groups=4, stride=[2, 2], padding=[1, 1])
conv("conv2d 1x1 no bias", "conv2d", (3, 4, 5, 6), (6, 4, 1, 1), bias=False)
conv("conv2d kernel = input", "conv2d", (2, 3, 5, 5), (4, 3, 5, 5))
conv("conv2d batch 1 everything", "conv2d", (1, 4, 11, 9), (6, 2, 3, 2), stride=[2, 3], padding=[1, 2], dilation=[2, 1], groups=2)
conv("conv2d digits conv2 shape", "conv2d", (2, 16, 4, 4), (8, 16, 3, 3), padding=[1, 1])

# conv1d.
conv("conv1d default", "conv1d", (2, 3, 10), (4, 3, 3))
conv("conv1d stride 2 padding 1", "conv1d", (2, 3, 11), (5, 3, 3), stride=2, padding=1)
conv("conv1d dilation 3 padding 2 no bias", "conv1d", (2, 2, 12), (3, 2, 3), bias=False, dilation=3, padding=2)
conv("conv1d groups 2", "conv1d", (3, 4, 9), (6, 2, 2), groups=2)
conv("conv1d kernel 1 no bias", "conv1d", (2, 3, 7), (2, 3, 1), bias=False)
conv("conv1d batch 1 everything", "conv1d", (1, 4, 13), (6, 2, 3), stride=2, padding=1, dilation=2, groups=2)

# maxpool2d: kernel, stride, padding, dilation, and ties.
maxpool("maxpool2d 2", randn(2, 3, 8, 8), [2, 2])
maxpool("maxpool2d 2 odd input", randn(2, 3, 7, 9), [2, 2])
maxpool("maxpool2d 3 stride 2 padding 1", randn(2, 2, 9, 8), [3, 3], stride=[2, 2], padding=[1, 1])
maxpool("maxpool2d (3, 2) stride (1, 2) padding 1", randn(2, 2, 7, 8), [3, 2], stride=[1, 2], padding=[1, 1])
maxpool("maxpool2d 3 stride 1 overlapping", randn(1, 2, 6, 5), [3, 3], stride=[1, 1])
maxpool("maxpool2d dilation 2", randn(2, 2, 9, 9), [3, 3], stride=[2, 2], padding=[1, 1], dilation=[2, 2])
maxpool("maxpool2d dilation (2, 3)", randn(1, 3, 10, 11), [2, 3], stride=[1, 2], padding=[1, 0], dilation=[2, 3])
maxpool("maxpool2d ties, small integers", randint(3, 2, 2, 8, 8), [2, 2])
maxpool("maxpool2d ties, overlapping padded", randint(2, 1, 2, 7, 6), [3, 3], stride=[1, 1], padding=[1, 1])
maxpool("maxpool2d blank image", torch.zeros(1, 2, 6, 6, dtype=torch.float64), [3, 3], stride=[2, 2], padding=[1, 1])

# avgpool2d: kernel, stride, padding, count_include_pad.
avgpool("avgpool2d 2", (2, 3, 8, 8), [2, 2])
avgpool("avgpool2d 3 stride 2 padding 1", (2, 2, 9, 8), [3, 3], stride=[2, 2], padding=[1, 1])
avgpool("avgpool2d 3 stride 2 padding 1 exclude pad", (2, 2, 9, 8), [3, 3], stride=[2, 2], padding=[1, 1], count_include_pad=False)
avgpool("avgpool2d (3, 2) stride (2, 1) padding (1, 0)", (2, 3, 7, 6), [3, 2], stride=[2, 1], padding=[1, 0])
avgpool("avgpool2d (3, 2) stride (2, 1) padding (1, 1) exclude pad", (2, 3, 7, 6), [3, 2], stride=[2, 1], padding=[1, 1], count_include_pad=False)
avgpool("avgpool2d 3 stride 1 overlapping", (1, 2, 6, 5), [3, 3], stride=[1, 1])

# global average pooling.
globalavg("global avgpool", (2, 3, 5, 4))
globalavg("global avgpool 1x1", (3, 2, 1, 1))

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "conv", "golden.json")
with open(out, "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, separators=(",", ":"))
    f.write("\n")
print(f"wrote {len(cases)} cases to {out}")
