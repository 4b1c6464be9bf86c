#!/usr/bin/python3
"""Reads one run_dense.sh session's results and prints the markdown tables of docs/benchmarks.md's "Dense networks
with fresh inputs: NetGen, RTNeural and PyTorch": ns per call (medians), fresh and fixed inputs, the NetGen / best
RTNeural ratios, D's TrainBatch(32) per sample beside PyTorch's, and the agreement figures.

Usage: dense_table.py OUT   (OUT as run_dense.sh leaves it: bdn/results/*.csv, rtneural-*-PASS.txt, pytorch.txt)
"""

import csv
import glob
import os
import re
import sys

NETWORKS = [("Dense4", "Dense 4x4 (4-4-4)"), ("Dense8", "Dense 8x8 (8-8-8)"), ("Dense16", "Dense 16x16 (16-16-16)"),
            ("Dense32", "Dense 32x32 (32-32-32)"), ("Dense64", "Dense 64x64 (64-64-64)"), ("A", "A 2-2-1"),
            ("B", "B 4-8-3"), ("C", "C 64-32-10"), ("D", "D 784-128-10")]
VARIANTS = ["xsimd_gcc", "eigen_gcc", "xsimd_clang", "eigen_clang"]
LABELS = {"xsimd_gcc": "RTNeural xsimd g++", "eigen_gcc": "RTNeural Eigen g++", "xsimd_clang": "RTNeural xsimd clang++",
          "eigen_clang": "RTNeural Eigen clang++"}
UNITS = {"ns": 1.0, "us": 1e3, "μs": 1e3, "ms": 1e6, "s": 1e9}


def ns(text):
    m = re.fullmatch(r"\s*([\d,.]+)\s*(ns|us|μs|ms|s)\s*", text or "")
    return float(m.group(1).replace(",", "")) * UNITS[m.group(2)] if m else None


def netgen(out):
    result = {}
    for path in glob.glob(os.path.join(out, "bdn", "results", "*Comparison.Network*-report.csv")):
        network = re.search(r"Comparison\.Network(\w+)-report\.csv$", path).group(1)
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                result[(network, row["Method"])] = ns(row["Median"])
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
            result[(parts[0], parts[1])] = dict(p.split("=", 1) for p in parts[2:] if "=" in p)
    return result


def get(table, prefix, name, key):
    value = table.get((prefix, name), {}).get(key)
    return float(value) if value is not None else None


def fmt(value, digits=1):
    if value is None:
        return "-"
    return f"{value:,.{digits}f}" if value < 1000 else f"{value:,.0f}"


def main():
    out = sys.argv[1]
    ng = netgen(out)
    rt = {(v, p): peer_lines(os.path.join(out, f"rtneural-{v}-{p}.txt")) for v in VARIANTS for p in (1, 2)}
    present = [v for v in VARIANTS if rt[(v, 1)]]
    prefix = {v: "rtneural-" + v.replace("_", "-") for v in VARIANTS}
    pt = peer_lines(os.path.join(out, "pytorch.txt"))

    for mode, method in (("fresh", "NetGenForwardFresh"), ("fixed", "NetGenForward")):
        print(f"Forward, one sample per call, {mode} inputs, ns per call (median):\n")
        print("| network | NetGen | " + " | ".join(LABELS[v] for v in present) + " | PyTorch | NetGen / best RTNeural |")
        print("| --- | ---: | " + " | ".join("---:" for _ in present) + " | ---: | ---: |")
        for name, label in NETWORKS:
            n = ng.get((name, method))
            r = [get(rt[(v, 1)], prefix[v], name, mode) for v in present]
            p = get(pt, "pytorch", name, mode)
            best = min((x for x in r if x is not None), default=None)
            ratio = f"**{n / best:.2f}**" if n and best else "-"
            print(f"| {label} | {fmt(n)} | " + " | ".join(fmt(x) for x in r) + f" | {fmt(p, 0)} | {ratio} |")
        print()

    print("Fresh / fixed, the price of fresh inputs (per implementation):\n")
    print("| network | NetGen | " + " | ".join(LABELS[v] for v in present) + " |")
    print("| --- | ---: | " + " | ".join("---:" for _ in present) + " |")
    for name, label in NETWORKS:
        a, b = ng.get((name, "NetGenForwardFresh")), ng.get((name, "NetGenForward"))
        cells = [f"{a / b:.2f}" if a and b else "-"]
        for v in present:
            f, x = get(rt[(v, 1)], prefix[v], name, "fresh"), get(rt[(v, 1)], prefix[v], name, "fixed")
            cells.append(f"{f / x:.2f}" if f and x else "-")
        print(f"| {label} | " + " | ".join(cells) + " |")
    print()

    print("RTNeural's second pass (after NetGen) against its first, fresh inputs (pass 2 / pass 1):\n")
    print("| network | " + " | ".join(LABELS[v] for v in present) + " |")
    print("| --- | " + " | ".join("---:" for _ in present) + " |")
    for name, label in NETWORKS:
        cells = []
        for v in present:
            a, b = get(rt[(v, 2)], prefix[v], name, "fresh"), get(rt[(v, 1)], prefix[v], name, "fresh")
            cells.append(f"{a / b:.2f}" if a and b else "-")
        print(f"| {label} | " + " | ".join(cells) + " |")
    print()

    print("D 784-128-10, TrainBatch(32), ns per sample (median):\n")
    print("| | NetGen | PyTorch | NetGen / PyTorch |")
    print("| --- | ---: | ---: | ---: |")
    for mode, method in (("fresh", "NetGenTrainBatchFresh"), ("fixed", "NetGenTrainBatch")):
        n, p = ng.get(("D", method)), get(pt, "pytorch-train", "D", mode)
        print(f"| {mode} inputs | {fmt(n)} | {fmt(p)} | {f'{n / p:.2f}' if n and p else '-'} |")
    print()

    print("Agreement with NetGen's outputs over 4,096 samples (max abs difference):\n")
    print("| network | " + " | ".join(LABELS[v] for v in present) + " | PyTorch | PyTorch one SGD step (parameters) |")
    print("| --- | " + " | ".join("---:" for _ in present) + " | ---: | ---: |")
    for name, label in NETWORKS:
        cells = [rt[(v, 1)].get((prefix[v], name), {}).get("maxdiff", "-") for v in present]
        p = pt.get(("pytorch", name), {}).get("maxdiff", "-")
        t = pt.get(("pytorch-train", name), {}).get("maxdiff_train", "-")
        print(f"| {label} | " + " | ".join(cells) + f" | {p} | {t} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
