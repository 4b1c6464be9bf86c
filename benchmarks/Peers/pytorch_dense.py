#!/usr/bin/python3
"""PyTorch 1.13 side of the fresh-input Dense benchmark (docs/benchmarks.md, "Dense networks with fresh inputs: NetGen,
RTNeural and PyTorch").

For each network written by `NetGen.Benchmarks --write-dense DIR` (NAME.json: sizes, biases and NetGen's parameters as
the state_dict of nn.Sequential(nn.Linear, nn.ReLU, nn.Linear); NAME.inputs.f32 and NAME.outputs.f32: 4,096 check
inputs and NetGen's outputs for them): builds that model, loads the parameters, checks that its outputs agree with
NetGen's (max abs difference, all 4,096 in one batch and the first 256 one by one), and checks one SGD step on the
first 32 samples (NAME.targets.f32, MSE, learning rate 0.01) against the parameters NetGen has after its
TrainBatch(32) (`after_train_batch`). Then it times, on one thread:
  - forward: one sample per call, model(x) for x of shape [1, inputs], under torch.inference_mode();
  - train (--train, default D): one SGD step on a batch of 32 per call (zero_grad, forward, MSELoss, backward,
    step; learning rate 1e-7 as in NetGen's benchmark), reported per sample;
each with fresh inputs (the next sample, or the next 32, of a buffer of `fresh_samples` samples from NAME.json, the
length NetGen's benchmark uses, uniform in [-1, 1), in order, wrapping around, sliced as views) and on one fixed
sample (or batch). Calls per round are calibrated to about 0.3 s; the median of 7 rounds, fresh and fixed rounds
alternating. The times include the Python call into torch, as any Python program calling it per sample pays.

The BLAS: Debian's torch is built with BLAS_INFO=generic and calls sgemm_ from libblas.so.3, whichever library that
resolves to (update-alternatives, or LD_PRELOAD). The script prints the file libtorch_cpu's sgemm_ is bound to (the dynamic
linker's LD_DEBUG=bindings report, in a child process with the same environment) and the BLAS libraries mapped.

Usage: /usr/bin/python3 benchmarks/Peers/pytorch_dense.py DIR [--rounds 7] [--round-seconds 0.3] [--networks ...]
       [--train D]
Prints `pytorch NAME fresh=NS fixed=NS maxdiff=D maxdiff_step=D` lines and, for --train networks,
`pytorch-train NAME fresh=NS fixed=NS maxdiff_train=D` (ns per sample).
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

import numpy as np
import torch
from torch import nn

NETWORKS = ["Dense4", "Dense8", "Dense16", "Dense32", "Dense64", "A", "B", "C", "D"]
BATCH = 32
LEARNING_RATE = 1e-7


def load(directory, name):
    path = os.path.join(directory, name)
    with open(path + ".json") as f:
        data = json.load(f)
    n_in, n_hidden, n_out = data["sizes"]
    bias = data["bias"]
    model = nn.Sequential(nn.Linear(n_in, n_hidden, bias=bias[0]), nn.ReLU(), nn.Linear(n_hidden, n_out, bias=bias[1]))
    model.load_state_dict({k: torch.tensor(v, dtype=torch.float32) for k, v in data["state_dict"].items()}, strict=True)
    checks = data["check_samples"]
    inputs = np.fromfile(path + ".inputs.f32", dtype="<f4").reshape(checks, n_in)
    outputs = np.fromfile(path + ".outputs.f32", dtype="<f4").reshape(checks, n_out)
    targets = np.fromfile(path + ".targets.f32", dtype="<f4").reshape(data["train_batch"], n_out)
    return data, model, inputs, outputs, targets


def calibrate(run, round_seconds):
    calls = 16
    while True:
        start = time.perf_counter_ns()
        run(calls)
        elapsed = (time.perf_counter_ns() - start) / 1e9
        if elapsed >= 0.05:
            return max(1, int(calls * round_seconds / elapsed))
        calls *= 4


def measure(fresh, fixed, per_call, rounds, round_seconds):
    """Median ns per sample of the fresh and the fixed runs, their rounds alternating, after a warm-up round each."""
    fresh_calls, fixed_calls = calibrate(fresh, round_seconds), calibrate(fixed, round_seconds)
    fresh(fresh_calls)
    fixed(fixed_calls)
    fresh_ns, fixed_ns = [], []
    for _ in range(rounds):
        for run, calls, results in ((fresh, fresh_calls, fresh_ns), (fixed, fixed_calls, fixed_ns)):
            start = time.perf_counter_ns()
            run(calls)
            results.append((time.perf_counter_ns() - start) / (calls * per_call))
    return statistics.median(fresh_ns), statistics.median(fixed_ns)


def buffers(data):
    n_in, _, n_out = data["sizes"]
    samples = data["fresh_samples"]
    random = np.random.default_rng(11)
    inputs = torch.from_numpy(random.uniform(-1.0, 1.0, (samples, n_in)).astype(np.float32))
    targets = torch.from_numpy(random.uniform(-1.0, 1.0, (samples, n_out)).astype(np.float32))
    return samples, inputs, targets


def bench_forward(name, directory, rounds, round_seconds):
    data, model, inputs, expected, _ = load(directory, name)
    model.eval()
    with torch.inference_mode():
        y = model(torch.from_numpy(inputs)).numpy()
        maxdiff = float(np.max(np.abs(y - expected)))
        steps = np.stack([model(torch.from_numpy(inputs[s:s + 1]))[0].numpy() for s in range(256)])
        maxdiff_step = float(np.max(np.abs(steps - expected[:256])))

        samples, buffer, _ = buffers(data)
        mask = samples - 1
        position = [0]
        first = buffer[0:1]

        def fresh(calls):
            i = position[0]
            for _ in range(calls):
                model(buffer[i:i + 1])
                i = (i + 1) & mask
            position[0] = i

        def fixed(calls):
            for _ in range(calls):
                model(first)

        fresh_ns, fixed_ns = measure(fresh, fixed, 1, rounds, round_seconds)
    print(f"pytorch {name} fresh={fresh_ns:.1f} fixed={fixed_ns:.1f} maxdiff={maxdiff:.3g} maxdiff_step={maxdiff_step:.3g}",
          flush=True)


def bench_train(name, directory, rounds, round_seconds):
    data, model, inputs, _, targets = load(directory, name)
    model.train()
    loss_fn = nn.MSELoss()

    # One step at 0.01 on the first 32 samples against NetGen's parameters after its TrainBatch(32).
    optimizer = torch.optim.SGD(model.parameters(), lr=data["train_learning_rate"])
    optimizer.zero_grad()
    loss_fn(model(torch.from_numpy(inputs[:BATCH])), torch.from_numpy(targets)).backward()
    optimizer.step()
    after = model.state_dict()
    maxdiff_train = max(float(torch.max(torch.abs(after[k] - torch.tensor(v, dtype=torch.float32))))
                        for k, v in data["after_train_batch"].items())

    _, model, _, _, _ = load(directory, name)
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    samples, buffer, target_buffer = buffers(data)
    mask = samples - 1
    position = [0]

    def step(x, t):
        optimizer.zero_grad()
        loss_fn(model(x), t).backward()
        optimizer.step()

    def fresh(calls):
        i = position[0]
        for _ in range(calls):
            step(buffer[i:i + BATCH], target_buffer[i:i + BATCH])
            i = (i + BATCH) & mask
        position[0] = i

    x0, t0 = buffer[0:BATCH], target_buffer[0:BATCH]

    def fixed(calls):
        for _ in range(calls):
            step(x0, t0)

    fresh_ns, fixed_ns = measure(fresh, fixed, BATCH, rounds, round_seconds)
    print(f"pytorch-train {name} fresh={fresh_ns:.1f} fixed={fixed_ns:.1f} maxdiff_train={maxdiff_train:.3g}", flush=True)


def blas_report():
    """Where libtorch_cpu's sgemm_ is bound (asked of the dynamic linker in a child process with this environment,
    LD_PRELOAD included), and the BLAS-like libraries mapped in this process."""
    maps = [line.split() for line in open("/proc/self/maps")]
    mapped = sorted({m[-1] for m in maps if len(m) >= 6 and re.search(r"blas|lapack|mkl|blis|atlas", m[-1])})
    child = subprocess.run([sys.executable, "-c", "import torch; torch.mm(torch.ones(2, 2), torch.ones(2, 2))"],
                           env=dict(os.environ, LD_DEBUG="bindings"), capture_output=True, text=True)
    bound = re.search(r"binding file \S*libtorch_cpu\S* \[\d+\] to (\S+) \[\d+\]: normal symbol `sgemm_'", child.stderr)
    return (os.path.realpath(bound.group(1)) if bound else "(not found in LD_DEBUG output)"), mapped


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--round-seconds", type=float, default=0.3)
    parser.add_argument("--networks", default=",".join(NETWORKS))
    parser.add_argument("--train", default="D", help="networks whose TrainBatch(32) step is timed (comma-separated)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    sgemm, mapped = blas_report()
    print(f"# torch {torch.__version__}, threads {torch.get_num_threads()}, rounds {args.rounds} x "
          f"{args.round_seconds} s, ns per sample (median); LD_PRELOAD={os.environ.get('LD_PRELOAD', '')}", flush=True)
    print(f"# sgemm_ from {sgemm}; mapped: {', '.join(mapped)}", flush=True)
    for name in args.networks.split(","):
        bench_forward(name, args.directory, args.rounds, args.round_seconds)
    for name in filter(None, args.train.split(",")):
        bench_train(name, args.directory, args.rounds, args.round_seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
