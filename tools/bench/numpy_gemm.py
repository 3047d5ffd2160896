#!/usr/bin/python3
"""OpenBLAS sgemm reference for GemmBench: out = x[m,k] @ W[n,k].T (float32), same shapes and output format.

Run with Debian's python3-numpy (OpenBLAS) and without the container's OpenBLAS overrides:
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 tools/bench/numpy_gemm.py [--m 1,5,16,64]
        [--shapes 1024x4096,1024x1024,1024x128112,4096x1024] [--reps 5] [--min-ms 200]
"""
import argparse
import time

import numpy as np


def timed(fn, reps, min_s):
    end = time.perf_counter() + min_s
    calls = 0
    while time.perf_counter() < end or calls < 3:
        fn()
        calls += 1
    out = []
    for _ in range(reps):
        start = time.perf_counter()
        stop = start + min_s
        c = 0
        while True:
            fn()
            c += 1
            now = time.perf_counter()
            if now >= stop:
                break
        out.append((now - start) / c)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--m", default="1,5,16,64")
    ap.add_argument("--shapes", default="1024x4096,1024x1024,1024x128112,4096x1024")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--min-ms", type=float, default=200)
    a = ap.parse_args()
    cfg = np.__config__
    print(f"# numpy {np.__version__}", flush=True)
    rng = np.random.default_rng(1)
    for shape in a.shapes.split(","):
        k, n = (int(v) for v in shape.split("x"))
        w = (rng.standard_normal((n, k), dtype=np.float32) * 0.02).astype(np.float32)
        for m in (int(v) for v in a.m.split(",")):
            x = rng.standard_normal((m, k), dtype=np.float32)
            out = np.empty((m, n), dtype=np.float32)
            secs = timed(lambda: np.matmul(x, w.T, out=out), a.reps, a.min_ms / 1e3)
            med = float(np.median(secs))
            best = min(secs)
            flops = 2.0 * m * n * k
            print(f"gemm fmt=openblas m={m} k={k} n={n} ms={med * 1e3:.3f} gflops={flops / med / 1e9:.1f} "
                  f"best_gflops={flops / best / 1e9:.1f} wgbps={4.0 * n * k / med / 1e9:.1f} "
                  f"spread={100 * (max(secs) - best) / best:.0f}%", flush=True)


if __name__ == "__main__":
    main()
