#!/usr/bin/python3
"""Writes the PyTorch golden files of package safetensors.

Run from this directory with Debian's python3-torch:

    /usr/bin/python3 gen.py

It writes, for a small torch model's state_dict (Conv2d, BatchNorm2d with
num_batches_tracked, Linear) after three training steps,

    torch_f32.safetensors, torch_f64.safetensors   the state_dict in F32 / F64
    dtypes.safetensors                             one tensor per torch dtype
    *.json                                         the tensors' values as torch
                                                   holds them (float.hex strings,
                                                   exact; integers as ints)

The Python `safetensors` package is not available here (no PyPI, no Debian
package), so save_file below writes the format by hand from torch tensors,
following the reference writer (safetensors/src/tensor.rs, `prepare` and
`serialize`): tensors sorted by dtype (in the reference's DType order,
largest first), then by name; compact JSON with "__metadata__" first; the
header padded with spaces to a multiple of 8 bytes. When `safetensors` is
importable, the script also checks that its save_file writes the same bytes
and its load_file reads the same tensors.
"""

import json
import struct
import sys

import torch

assert sys.byteorder == "little"

# The reference's DType enum order (older releases; the F8/F4/C64 types are
# not written here) and the torch dtypes.
DTYPES = {
    torch.bool: "BOOL", torch.uint8: "U8", torch.int8: "I8", torch.int16: "I16",
    torch.float16: "F16", torch.bfloat16: "BF16", torch.int32: "I32",
    torch.float32: "F32", torch.float64: "F64", torch.int64: "I64",
}
ORDER = ["BOOL", "U8", "I8", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64"]


def raw(t):
    t = t.contiguous()
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)
    return t.numpy().tobytes()


def save_file(tensors, path, metadata=None):
    items = sorted(tensors.items(), key=lambda kv: (-ORDER.index(DTYPES[kv[1].dtype]), kv[0]))
    header, data, off = {}, b"", 0
    if metadata:
        header["__metadata__"] = dict(sorted(metadata.items()))
    for name, t in items:
        b = raw(t)
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        data += b
        off += len(b)
    h = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode()
    h += b" " * (-len(h) % 8)
    out = struct.pack("<Q", len(h)) + h + data
    with open(path, "wb") as f:
        f.write(out)
    return out


def values(t):
    if t.dtype in (torch.bool, torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64):
        return [int(v) for v in t.flatten().tolist()]
    return [float(v).hex() for v in t.double().flatten().tolist()]


def golden(tensors, metadata, path):
    lines = ['{"metadata": %s, "tensors": {' % json.dumps(metadata or {}, sort_keys=True)]
    for i, (name, t) in enumerate(sorted(tensors.items())):
        v = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "values": values(t)}
        lines.append(" %s: %s%s" % (json.dumps(name), json.dumps(v), "," if i < len(tensors) - 1 else ""))
    lines.append("}}")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def model_state():
    torch.manual_seed(0)
    m = torch.nn.Sequential(
        torch.nn.Conv2d(1, 4, 3, padding=1),  # 0
        torch.nn.BatchNorm2d(4),              # 1
        torch.nn.ReLU(),                      # 2
        torch.nn.Flatten(),                   # 3
        torch.nn.Linear(4 * 4 * 4, 3),        # 4
    ).double()
    opt = torch.optim.SGD(m.parameters(), lr=0.1)
    x, y = torch.randn(8, 1, 4, 4, dtype=torch.float64), torch.randint(0, 3, (8,))
    for _ in range(3):  # so that running stats and num_batches_tracked move
        opt.zero_grad()
        torch.nn.functional.cross_entropy(m(x), y).backward()
        opt.step()
    return m.state_dict()


def dtype_tensors():
    return {
        "f64": torch.tensor([[1.5, -0.0, 1e-300], [float("inf"), -2.0 ** 60, 3.141592653589793]], dtype=torch.float64),
        "f32": torch.tensor([0.1, -3.5e38, 1e-45, float("-inf")], dtype=torch.float32),
        "f16": torch.tensor([1.0, -2.5, 6e-8, 65504.0, float("inf"), 0.333], dtype=torch.float16),
        "bf16": torch.tensor([1.0, -2.5, 3e38, 1e-40, 0.333], dtype=torch.bfloat16),
        "i64": torch.tensor([-(2 ** 63), 2 ** 63 - 1, 0, 42], dtype=torch.int64),
        "i32": torch.tensor([[-(2 ** 31), 7], [2 ** 31 - 1, -1]], dtype=torch.int32),
        "i16": torch.tensor([-32768, 32767], dtype=torch.int16),
        "i8": torch.tensor([-128, 127, 0], dtype=torch.int8),
        "u8": torch.tensor([0, 255, 128], dtype=torch.uint8),
        "bool": torch.tensor([True, False, True], dtype=torch.bool),
        "scalar": torch.tensor(5, dtype=torch.int64),
        "empty": torch.zeros(0, 3, dtype=torch.float32),
    }


def crosscheck(tensors, path, metadata, written):
    try:
        import safetensors.torch as st
    except ImportError:
        print("safetensors not importable: no cross-check with the reference")
        return
    assert st.save(tensors, metadata=metadata) == written, path
    loaded = st.load_file(path)
    assert loaded.keys() == tensors.keys()
    for k, t in tensors.items():
        assert loaded[k].dtype == t.dtype and torch.equal(loaded[k], t), k
    print("cross-checked", path, "with the reference safetensors")


def main():
    meta = {"format": "pt", "note": "descent golden <&> ünïcode"}
    sd = model_state()
    for name, dt in (("torch_f64", torch.float64), ("torch_f32", torch.float32)):
        ts = {k: (v.to(dt) if v.is_floating_point() else v) for k, v in sd.items()}
        written = save_file(ts, name + ".safetensors", meta)
        golden(ts, meta, name + ".json")
        crosscheck(ts, name + ".safetensors", meta, written)
    ts = dtype_tensors()
    written = save_file(ts, "dtypes.safetensors")
    golden(ts, None, "dtypes.json")
    crosscheck(ts, "dtypes.safetensors", None, written)


if __name__ == "__main__":
    main()
