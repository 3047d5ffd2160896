#!/usr/bin/python3
"""Summarises a gemm-compare log (rounds of numpy/OpenBLAS then GemmBench, same machine).

Per (format, m, k, n): median over rounds of each round's median GFLOP/s, its min-max across rounds (the
noise), the best batch seen, weight GB/s; and the ratio to OpenBLAS computed per round (paired: both ran
within the same minute) with its median and range. Memory bandwidth lines are summarised the same way."""
import re
import statistics
import sys
from collections import defaultdict

LINE = re.compile(r"^gemm fmt=(\S+) m=(\d+) k=(\d+) n=(\d+) ms=\S+ gflops=(\S+) best_gflops=(\S+) wgbps=(\S+)")
BW = re.compile(r"^bandwidth gbps=(\S+) best_gbps=(\S+)")
ROUND = re.compile(r"# round (\d+)")

gf = defaultdict(dict)    # key -> {round: median gflops}
best = defaultdict(list)
gb = defaultdict(list)
bw = []
bw_best = []
rnd = 0
for line in open(sys.argv[1]):
    r = ROUND.search(line)
    if r:
        rnd = int(r.group(1))
    m = LINE.match(line)
    if m:
        key = (m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4)))
        gf[key][rnd] = float(m.group(5))
        best[key].append(float(m.group(6)))
        gb[key].append(float(m.group(7)))
    b = BW.match(line)
    if b:
        bw.append(float(b.group(1)))
        bw_best.append(float(b.group(2)))

if bw:
    print(f"memory bandwidth (streaming read, all threads): median {statistics.median(bw):.1f} GB/s, "
          f"range {min(bw):.1f}-{max(bw):.1f}, best batch {max(bw_best):.1f}, {len(bw)} runs")
print(f"{'fmt':8} {'m':>3} {'k':>5} {'n':>6} {'GFLOP/s':>8} {'range':>13} {'best':>6} {'wGB/s':>6} "
      f"{'vs OpenBLAS (paired per round)':>30}")
shapes = sorted({(k[1], k[2], k[3]) for k in gf}, key=lambda s: (s[1], s[2], s[0]))
for m, k, n in shapes:
    ref = gf.get(("openblas", m, k, n), {})
    known = ["openblas", "f32", "bf16", "f16", "int8"]
    for fmt in known + sorted({key[0] for key in gf} - set(known)):  # e.g. f32@512 (BENCH_VECTOR_BITS)
        v = gf.get((fmt, m, k, n))
        if not v:
            continue
        vals = list(v.values())
        med = statistics.median(vals)
        ratio = ""
        paired = [v[r] / ref[r] for r in v if r in ref and ref[r] > 0]
        if paired and fmt != "openblas":
            ratio = f"{statistics.median(paired):.2f}x ({min(paired):.2f}-{max(paired):.2f}, {len(paired)} rounds)"
        print(f"{fmt:8} {m:>3} {k:>5} {n:>6} {med:>8.1f} {min(vals):>6.1f}-{max(vals):<6.1f} "
              f"{max(best[(fmt, m, k, n)]):>6.1f} {statistics.median(gb[(fmt, m, k, n)]):>6.1f} {ratio:>30}")
