#!/usr/bin/python3
"""Reads one run_streaming.sh session's results and prints the markdown tables of docs/benchmarks.md's
"Streaming models: NetGen, RTNeural and PyTorch": ns per step (medians), the ratios, and the agreement figures.

Usage: streaming_table.py OUT   (OUT as run_streaming.sh leaves it: bdn/results/*.csv, rtneural-*.txt, pytorch.txt)
"""

import csv
import glob
import os
import re
import sys

NETWORKS = [("gru8", "Gru8", "(a) 1 -> GRU 8 -> Dense 1"),
            ("lstm8", "Lstm8", "(b) 1 -> LSTM 8 -> Dense 1"),
            ("gru32", "Gru32", "(c) 1 -> GRU 32 -> Dense 1"),
            ("gru16x3", "Gru16x3", "(d) 1 -> GRU 16 x 3 -> Dense 1")]
UNITS = {"ns": 1.0, "us": 1e3, "μs": 1e3, "ms": 1e6, "s": 1e9}


def ns(text):
    m = re.fullmatch(r"\s*([\d,.]+)\s*(ns|us|μs|ms|s)\s*", text)
    return float(m.group(1).replace(",", "")) * UNITS[m.group(2)] if m else None


def netgen(out):
    result = {}
    for path in glob.glob(os.path.join(out, "bdn", "results", "*Streaming*-report.csv")):
        cls = re.search(r"Streaming(\w+)-report\.csv$", path).group(1)
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                result[(cls, row["Method"])] = (ns(row["Median"]), row.get("Allocated", "?"))
    return result


def peer_lines(path):
    """`PREFIX NAME key=value ...` lines -> {NAME: {key: value}}."""
    result = {}
    if not os.path.exists(path):
        return result
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) < 3 or line.startswith("#"):
                continue
            result[parts[1]] = dict(p.split("=", 1) for p in parts[2:] if "=" in p)
    return result


def fmt(value, digits=1):
    if value is None:
        return "-"
    return f"{value:,.{digits}f}" if value < 1000 else f"{value:,.0f}"


def main():
    out = sys.argv[1]
    ng = netgen(out)
    xs = peer_lines(os.path.join(out, "rtneural-xsimd.txt"))
    ei = peer_lines(os.path.join(out, "rtneural-eigen.txt"))
    pt = peer_lines(os.path.join(out, "pytorch.txt"))

    print("| network | NetGen step | NetGen seq 64 | seq 512 | seq 2048 | RTNeural xsimd | RTNeural Eigen | PyTorch step "
          "| NetGen step / best RTNeural | NetGen seq 2048 / best RTNeural | block speed-up 64 / 512 / 2048 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    allocated = set()
    for name, cls, label in NETWORKS:
        step = ng.get((cls, "Step"), (None, "?"))[0]
        seq = [ng.get((cls, f"Block{n}"), (None, "?"))[0] for n in (64, 512, 2048)]
        for method in ("Step", "Block64", "Block512", "Block2048"):
            allocated.add(ng.get((cls, method), (None, "?"))[1])
        x = float(xs[name]["step"]) if name in xs else None
        e = float(ei[name]["step"]) if name in ei else None
        p = float(pt[name]["step"]) if name in pt else None
        best = min(v for v in (x, e) if v is not None) if (x or e) else None
        ratio = f"**{step / best:.2f}**" if step and best else "-"
        ratio_seq = f"{seq[2] / best:.2f}" if seq[2] and best else "-"
        speedup = " / ".join(f"{step / s:.2f}" if step and s else "-" for s in seq)
        print(f"| {label} | {fmt(step)} | {fmt(seq[0])} | {fmt(seq[1])} | {fmt(seq[2])} | {fmt(x)} | {fmt(e)} "
              f"| {fmt(p, 0)} | {ratio} | {ratio_seq} | {speedup} |")
    print()
    print(f"NetGen allocated per operation: {', '.join(sorted(a for a in allocated if a))}.")
    print()
    print("| network | PyTorch step | PyTorch block 64 | block 512 | block 2048 | max abs diff to NetGen: RTNeural xsimd "
          "| RTNeural Eigen | PyTorch (sequence / 256 steps one by one) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, cls, label in NETWORKS:
        q = pt.get(name, {})
        print(f"| {label} | {fmt(float(q['step']), 0) if 'step' in q else '-'} "
              + " ".join(f"| {fmt(float(q[k]), 0) if k in q else '-'}" for k in ("b64", "b512", "b2048"))
              + f" | {xs.get(name, {}).get('maxdiff', '-')} | {ei.get(name, {}).get('maxdiff', '-')} "
              f"| {q.get('maxdiff', '-')} / {q.get('maxdiff_step', '-')} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
