"""NumPy peer for the GEMM benchmarks: GFLOPS of numpy.matmul (OpenBLAS when numpy links it)
on the products of internal/gemm's BenchmarkGemm, in float32 and float64.

Usage: python3 numpy_gemm.py [--min-time SECONDS] [--repeat N] [--shapes NAME,NAME...]
                             [--spec JSON] [--dtypes f64,f32]
--spec gives the products as a JSON list of {"name", "m", "n", "k", "ta", "tb"} (how
`descent bench --gemm` sends its shapes) instead of the built-in list.
Prints one JSON object: {"peer", "version", "blas", "threads", "results": [
  {"dtype": "f32"|"f64", "shape": NAME, "m", "n", "k", "gflops", "seconds", "gflops_cpu",
   "cpu_seconds"}]},
where gflops = 2·m·n·k / seconds and seconds is the best per-product wall time over repeat
batches of at least min-time each; gflops_cpu uses the process's CPU time instead (all its
threads), which on one thread (OPENBLAS_NUM_THREADS=1) is what an idle core would give.
"""
import argparse
import json
import os
import time

import numpy as np

# name, m, n, k, A stored transposed, B stored transposed: as benchShapes in bench_test.go.
SHAPES = [
    ("1000x1000x1000", 1000, 1000, 1000, False, False),
    ("128x64.64x128", 128, 128, 64, False, False),
    ("128x784.784x256", 128, 256, 784, False, False),
    ("128x64.64x10", 128, 10, 64, False, False),
    ("64x128T.128x10", 64, 10, 128, True, False),
    ("128x10.64x10T", 128, 64, 10, False, True),
    ("5x100.100x1", 5, 1, 100, False, False),
    ("1x100.100x64", 1, 64, 100, False, False),
    ("16x16x16", 16, 16, 16, False, False),
]


def operands(m, n, k, ta, tb, dtype):
    rng = np.random.default_rng(1)
    a = rng.uniform(-1, 1, (k, m) if ta else (m, k)).astype(dtype)
    b = rng.uniform(-1, 1, (n, k) if tb else (k, n)).astype(dtype)
    return (a.T if ta else a), (b.T if tb else b), np.empty((m, n), dtype)


def best_seconds(m, n, k, ta, tb, dtype, min_time, repeat):
    """Best wall seconds and best process-CPU seconds per product over repeat batches."""
    a, b, c = operands(m, n, k, ta, tb, dtype)
    np.matmul(a, b, out=c)
    reps = 1
    while True:  # find a batch size that takes min_time
        t = time.perf_counter()
        for _ in range(reps):
            np.matmul(a, b, out=c)
        dt = time.perf_counter() - t
        if dt >= min_time or reps >= 1 << 24:
            break
        reps = max(reps * 2, int(reps * min_time / max(dt, 1e-9) * 1.2))
    best, best_cpu = dt / reps, float("inf")
    for _ in range(max(1, repeat)):
        t, tc = time.perf_counter(), time.process_time()
        for _ in range(reps):
            np.matmul(a, b, out=c)
        best = min(best, (time.perf_counter() - t) / reps)
        best_cpu = min(best_cpu, max(time.process_time() - tc, 1e-9) / reps)
    return best, best_cpu


def blas_libraries():
    """The BLAS shared objects this process has mapped (OpenBLAS, reference BLAS, MKL...)."""
    libs = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.split()[-1]
                if "blas" in os.path.basename(path).lower():
                    libs.add(os.path.realpath(path))
    except OSError:
        pass
    return sorted(libs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--min-time", type=float, default=0.2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--shapes", default="")
    ap.add_argument("--spec", default="")
    ap.add_argument("--dtypes", default="f64,f32")
    args = ap.parse_args()
    want = set(filter(None, args.shapes.split(",")))
    shapes = SHAPES
    if args.spec:
        shapes = [(s["name"], s["m"], s["n"], s["k"], s.get("ta", False), s.get("tb", False))
                  for s in json.loads(args.spec)]
    dtypes = [(d, {"f64": np.float64, "f32": np.float32}[d]) for d in args.dtypes.split(",") if d]
    results = []
    for name, dtype in dtypes:
        for shape, m, n, k, ta, tb in shapes:
            if want and shape not in want:
                continue
            s, cpu = best_seconds(m, n, k, ta, tb, dtype, args.min_time, args.repeat)
            results.append({"dtype": name, "shape": shape, "m": m, "n": n, "k": k,
                            "gflops": 2 * m * n * k / s / 1e9, "seconds": s,
                            "gflops_cpu": 2 * m * n * k / cpu / 1e9, "cpu_seconds": cpu})
    print(json.dumps({"peer": "numpy", "version": np.__version__, "blas": blas_libraries(),
                      "threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"),
                      "results": results}))


if __name__ == "__main__":
    main()
