"""Side-by-side GEMM GFLOPS: internal/gemm and gonum (BenchmarkGemm) against NumPy
(numpy_gemm.py) in one run, alternating the two for several rounds and keeping each side's
best, since the machine may be shared.

Usage (from the repository root):
  /usr/bin/python3 bench/peers/gemm_side_by_side.py [--rounds 3] [--benchtime 0.5s]
      [--shapes NAME,NAME...] [--threads N] [--clock wall|cpu] [--json]
--threads N runs both sides on N threads (GOMAXPROCS=N, OPENBLAS_NUM_THREADS=N); by default
each uses every core. --clock cpu divides by the process's CPU time instead of wall time:
with --threads 1 on a shared machine, that is each side's speed on an idle core.
Prints a table with descent/numpy ratios (issue 10's target is >= 0.70 on the three network
shapes), or one JSON object with --json.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
LINE = re.compile(r"^BenchmarkGemm/(f32|f64)/([^/]+)/(\w+)(?:-\d+)?\s+\d+\s+[\d.]+ ns/op\s+([\d.]+) GFLOPS"
                  r"(?:\s+([\d.]+) GFLOPS/cpu-s)?")
TARGETS = {"1000x1000x1000", "128x64.64x128", "128x784.784x256"}


def run_go(binary, benchtime, shapes, threads, clock):
    pattern = "BenchmarkGemm/"
    if shapes:
        pattern += "/(" + "|".join(re.escape(s) for s in shapes) + ")/"
    cmd = [binary, "-test.run", "XXX", "-test.bench", pattern, "-test.benchtime", benchtime]
    if threads:
        cmd += ["-test.cpu", str(threads)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    res = {}
    for line in out.splitlines():
        m = LINE.match(line)
        if m:
            dtype, shape, impl, gf, gf_cpu = m.groups()
            impl = "gonum" if impl == "gonum" else "descent:" + impl
            res[(dtype, shape, impl)] = float((gf_cpu or gf) if clock == "cpu" else gf)
    return res


def run_numpy(min_time, shapes, threads, clock="wall"):
    cmd = ["/usr/bin/python3", os.path.join(HERE, "numpy_gemm.py"), "--min-time", str(min_time),
           "--repeat", "2"]
    if shapes:
        cmd += ["--shapes", ",".join(shapes)]
    env = dict(os.environ)
    if threads:
        env["OPENBLAS_NUM_THREADS"] = str(threads)
    doc = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True, env=env).stdout)
    key = "gflops_cpu" if clock == "cpu" else "gflops"
    return doc, {(r["dtype"], r["shape"], "numpy"): r[key] for r in doc["results"]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--benchtime", default="0.5s")
    ap.add_argument("--shapes", default="")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--clock", choices=("wall", "cpu"), default="wall")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    shapes = [s for s in args.shapes.split(",") if s]
    best, runs = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        binary = os.path.join(tmp, "gemm.test")
        subprocess.run(["go", "test", "-c", "-o", binary, "./internal/gemm"], check=True)
        min_time = float(args.benchtime.rstrip("s"))
        numpy_doc = None
        for r in range(args.rounds):
            sides = [lambda: run_go(binary, args.benchtime, shapes, args.threads, args.clock),
                     lambda: run_numpy(min_time, shapes, args.threads, args.clock)[1]]
            if r % 2:
                sides.reverse()
            for side in sides:
                for key, gf in side().items():
                    runs.setdefault(key, []).append(gf)
                    best[key] = max(best.get(key, 0), gf)
        numpy_doc, _ = run_numpy(0.01, shapes[:1] or ["16x16x16"], args.threads)
    rows = []
    for (dtype, shape, impl), gf in sorted(best.items()):
        if not impl.startswith("descent:"):
            continue
        np_gf = best.get((dtype, shape, "numpy"))
        rows.append({"dtype": dtype, "shape": shape, "kernel": impl.split(":")[1],
                     "descent": gf, "gonum": best.get((dtype, shape, "gonum")), "numpy": np_gf,
                     "ratio": gf / np_gf if np_gf else None, "target": shape in TARGETS,
                     "descent_runs": runs[(dtype, shape, impl)],
                     "numpy_runs": runs.get((dtype, shape, "numpy"))})
    if args.json:
        print(json.dumps({"rounds": args.rounds, "threads": args.threads or "all", "clock": args.clock,
                          "numpy": numpy_doc["version"],
                          "blas": numpy_doc["blas"], "rows": rows}))
        return
    print("best of %d rounds (GFLOPS, %s clock), threads %s; numpy %s with %s" % (
        args.rounds, args.clock, args.threads or "all", numpy_doc["version"],
        ", ".join(map(os.path.basename, numpy_doc["blas"]))))
    print("%-4s %-17s %-8s %9s %9s %9s %7s %s" % ("", "shape", "kernel", "descent", "gonum", "numpy", "ratio", "target"))
    for r in rows:
        verdict = ""
        if r["target"] and r["ratio"] is not None:
            verdict = "met" if r["ratio"] >= 0.7 else "NOT met"
        print("%-4s %-17s %-8s %9.2f %9.2f %9.2f %7.2f %s" % (
            r["dtype"], r["shape"], r["kernel"], r["descent"], r["gonum"] or 0, r["numpy"] or 0,
            r["ratio"] or 0, verdict))


if __name__ == "__main__":
    sys.exit(main())
