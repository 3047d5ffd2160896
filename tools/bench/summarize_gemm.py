#!/usr/bin/python3
"""Summarises a gemm-compare log: per (format, m, k, n), the median over rounds of each round's median
GFLOP/s, min–max across rounds (the noise), weight GB/s, and the ratio to OpenBLAS for f32-comparable rows."""
import re
import statistics
import sys
from collections import defaultdict

LINE = re.compile(r"^gemm fmt=(\S+) m=(\d+) k=(\d+) n=(\d+) ms=\S+ gflops=(\S+) best_gflops=\S+ wgbps=(\S+)")
BW = re.compile(r"^bandwidth gbps=(\S+)")

gf = defaultdict(list)
gb = defaultdict(list)
bw = []
for line in open(sys.argv[1]):
    m = LINE.match(line)
    if m:
        key = (m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4)))
        gf[key].append(float(m.group(5)))
        gb[key].append(float(m.group(6)))
    b = BW.match(line)
    if b:
        bw.append(float(b.group(1)))

if bw:
    print(f"memory bandwidth (streaming read): median {statistics.median(bw):.1f} GB/s, "
          f"range {min(bw):.1f}-{max(bw):.1f} over {len(bw)} runs")
print(f"{'fmt':8} {'m':>3} {'k':>5} {'n':>6} {'GFLOP/s':>8} {'range':>13} {'wGB/s':>6} {'vs OpenBLAS':>11}")
shapes = sorted({(k[1], k[2], k[3]) for k in gf}, key=lambda s: (s[1], s[2], s[0]))
order = ["openblas", "f32", "bf16", "f16", "int8"]
for m, k, n in shapes:
    ref = gf.get(("openblas", m, k, n))
    for fmt in order:
        v = gf.get((fmt, m, k, n))
        if not v:
            continue
        med = statistics.median(v)
        ratio = f"{med / statistics.median(ref):.2f}x" if ref and fmt != "openblas" else ""
        print(f"{fmt:8} {m:>3} {k:>5} {n:>6} {med:>8.1f} {min(v):>6.1f}-{max(v):<6.1f} "
              f"{statistics.median(gb[(fmt, m, k, n)]):>6.1f} {ratio:>11}")
