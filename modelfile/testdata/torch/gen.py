#!/usr/bin/python3
"""Writes the PyTorch → Descent interop golden files of package modelfile.

Run from this directory with Debian's python3-torch:

    /usr/bin/python3 gen.py

A small CNN, the sequence Descent spells

    conv2d(4,3,padding=1) batchnorm2d relu maxpool2d(2) flatten linear(16) gelu linear(10)

is trained for a few Adam steps in float64 (so batch norm's running
statistics and num_batches_tracked are not their initial values), then
its state_dict is saved as a safetensors file, as
safetensors.torch.save_file(model.state_dict(), …) writes it, in F64 and
F32. Twenty 1×8×8 inputs and the model's evaluation-mode logits and softmax
probabilities go to cnn.json (floats as float.hex, exact). The Go test
loads the state_dict with `--model` giving the architecture and must
predict the same classes and probabilities to 1e-12 (F64).
"""
import json, struct, sys

import torch
import torch.nn as nn

sys.path.insert(0, "../../safetensors/testdata")
from gen import save_file  # the hand-written safetensors writer (no PyPI here)

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)
torch.manual_seed(7)

net = nn.Sequential(
    nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
    nn.Linear(4 * 4 * 4, 16), nn.GELU(), nn.Linear(16, 10))
opt = torch.optim.Adam(net.parameters(), lr=0.01)
for _ in range(5):
    x = torch.randn(32, 1, 8, 8)
    y = torch.randint(0, 10, (32,))
    opt.zero_grad()
    nn.functional.cross_entropy(net(x), y).backward()
    opt.step()
net.eval()
x = torch.randn(20, 1, 8, 8)
with torch.no_grad():
    logits = net(x)
    probs = torch.softmax(logits, dim=1)
sd = net.state_dict()
save_file({k: v.contiguous() for k, v in sd.items()}, "cnn_f64.safetensors")
save_file({k: (v.float() if v.is_floating_point() else v) for k, v in sd.items()}, "cnn_f32.safetensors")
hexs = lambda t: [float(v).hex() for v in t.reshape(-1).tolist()]
json.dump({
    "model": "conv2d(4,3,padding=1) batchnorm2d relu maxpool2d(2) flatten linear(16) gelu linear(10)",
    "input_shape": [1, 8, 8],
    "x": hexs(x), "logits": hexs(logits), "probs": hexs(probs),
    "classes": logits.argmax(1).tolist(),
    "num_batches_tracked": int(sd["1.num_batches_tracked"]),
}, open("cnn.json", "w"), indent=0)
print("wrote cnn_f64.safetensors, cnn_f32.safetensors, cnn.json")
