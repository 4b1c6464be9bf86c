#!/usr/bin/python3
"""PyTorch 1.13 side of the streaming peer benchmark (docs/benchmarks.md, "Streaming models: NetGen, RTNeural and
PyTorch").

For each network file written by `NetGen.Benchmarks --write-streaming DIR` (weights as a PyTorch state_dict, an input
sequence, NetGen's ForwardSequence outputs): builds the same model (nn.GRU or nn.LSTM with num_layers, then
nn.Linear), loads the weights, checks that its outputs over the sequence agree with NetGen's (max abs difference),
then times, on one thread under no_grad:
  - one step per call: the [1, 1, 1] input of the next sample, the carried state passed in and taken back, the
    Linear after it, as a stream would run it;
  - blocks of 64, 512 and 2,048 steps per call ([steps, 1, 1]), per step.
Inputs come from a buffer of 262,144 values uniform in [-1, 1) (2^18: a pattern no branch predictor can learn, as in
the NetGen and RTNeural harnesses), sliced as views, fresh each call. ns per call (per step for blocks) is the
median of several rounds of about 0.3 s each.

Usage: /usr/bin/python3 benchmarks/Peers/pytorch_streaming.py DIR [--rounds 7] [--round-seconds 0.3]
Prints one line per network, `pytorch NAME step=... b64=... b512=... b2048=... maxdiff=...`.
"""

import argparse
import json
import os
import statistics
import sys
import time

import numpy as np
import torch
from torch import nn

NETWORKS = ["gru8", "lstm8", "gru32", "gru16x3"]
BUFFER_LENGTH = 1 << 18
BLOCKS = [64, 512, 2048]


class Streaming(nn.Module):
    """The recurrent layers as one module with num_layers, then the Dense 1; keys rec.* and dense.*."""

    def __init__(self, kind, units):
        super().__init__()
        assert len(set(units)) == 1, "stacked layers of one width"
        cls = nn.GRU if kind == "gru" else nn.LSTM
        self.rec = cls(input_size=1, hidden_size=units[0], num_layers=len(units))
        self.dense = nn.Linear(units[0], 1)

    def forward(self, x, state):
        h, state = self.rec(x, state)
        return self.dense(h), state


def load(path):
    with open(path) as f:
        data = json.load(f)
    model = Streaming(data["kind"], data["units"])
    state_dict = {k: torch.tensor(v, dtype=torch.float32) for k, v in data["state_dict"].items()}
    model.load_state_dict(state_dict, strict=True)
    model.eval()
    inputs = np.asarray(data["inputs"], dtype=np.float32)
    outputs = np.asarray(data["outputs"], dtype=np.float32)
    return data, model, inputs, outputs


def zero_state(data):
    layers, units = len(data["units"]), data["units"][0]
    h = torch.zeros(layers, 1, units)
    return (h, torch.zeros(layers, 1, units)) if data["kind"] == "lstm" else h


def median_ns(run, calls_per_round, steps_per_call, rounds, round_seconds):
    """Median over rounds of ns per step; calls_per_round is calibrated to about round_seconds."""
    results = []
    for _ in range(rounds):
        start = time.perf_counter_ns()
        run(calls_per_round)
        elapsed = time.perf_counter_ns() - start
        results.append(elapsed / (calls_per_round * steps_per_call))
    return statistics.median(results)


def calibrate(run, steps_per_call, round_seconds):
    calls = 16
    while True:
        start = time.perf_counter_ns()
        run(calls)
        elapsed = (time.perf_counter_ns() - start) / 1e9
        if elapsed >= 0.05:
            return max(1, int(calls * round_seconds / elapsed))
        calls *= 4


def bench(name, directory, rounds, round_seconds):
    data, model, inputs, expected = load(os.path.join(directory, name + ".json"))
    with torch.no_grad():
        # Agreement: the whole sequence in one call from a zero state, and step by step.
        y, _ = model(torch.from_numpy(inputs).view(-1, 1, 1), zero_state(data))
        maxdiff = float(np.max(np.abs(y.view(-1).numpy() - expected)))
        state = zero_state(data)
        steps = []
        for t in range(256):
            y1, state = model(torch.from_numpy(inputs[t:t + 1]).view(1, 1, 1), state)
            steps.append(float(y1))
        maxdiff_step = float(np.max(np.abs(np.asarray(steps, dtype=np.float32) - expected[:256])))

        buffer = torch.from_numpy(
            np.random.default_rng(11).uniform(-1.0, 1.0, BUFFER_LENGTH).astype(np.float32)).view(-1, 1, 1)
        position = [0]
        carried = [zero_state(data)]

        def step(calls):
            s, i = carried[0], position[0]
            for _ in range(calls):
                y, s = model(buffer[i:i + 1], s)
                i = (i + 1) & (BUFFER_LENGTH - 1)
            carried[0], position[0] = s, i

        def block(n):
            def run(calls):
                s, i = carried[0], position[0]
                for _ in range(calls):
                    y, s = model(buffer[i:i + n], s)
                    i = (i + n) & (BUFFER_LENGTH - 1)
                carried[0], position[0] = s, i
            return run

        result = {"step": median_ns(step, calibrate(step, 1, round_seconds), 1, rounds, round_seconds)}
        for n in BLOCKS:
            run = block(n)
            result[f"b{n}"] = median_ns(run, calibrate(run, n, round_seconds), n, rounds, round_seconds)
    fields = " ".join(f"{k}={v:.1f}" for k, v in result.items())
    print(f"pytorch {name} {fields} maxdiff={maxdiff:.3g} maxdiff_step={maxdiff_step:.3g}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--round-seconds", type=float, default=0.3)
    parser.add_argument("--networks", default=",".join(NETWORKS))
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(f"# torch {torch.__version__}, threads {torch.get_num_threads()}, rounds {args.rounds} x "
          f"{args.round_seconds} s, ns per step (median)", flush=True)
    for name in args.networks.split(","):
        bench(name, args.directory, args.rounds, args.round_seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
