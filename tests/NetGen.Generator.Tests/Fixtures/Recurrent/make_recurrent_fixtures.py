#!/usr/bin/python3
"""PyTorch's answers for NetGen's streaming networks (GRU, LSTM, Conv1D and Dense stacks), written as JSON fixtures
that RecurrentPyTorchTests reads, so that the test suite needs no Python.

Run from anywhere, with the interpreter that has PyTorch 1.13 (the `python3` on PATH may not):

    /usr/bin/python3 tests/NetGen.Generator.Tests/Fixtures/Recurrent/make_recurrent_fixtures.py

It is seeded: the same PyTorch gives the same files, byte for byte. It writes, beside itself, conv-NN.json (the
stacks with a Conv1D layer, drawn with a seed of their own, CONV_SEED, so that they leave the other files as they
were; --conv-only writes these alone) and recurrent-NN.json (and, with --extra-activations,
recurrent-extra-activations.json: stacks whose Dense layers also use ELU, GELU, SiLU and Softplus, with a seed of
their own, so that switching those on does not change the other files). It prints the seeds.

Every stack is built in torch in double precision. recurrent-NN.json: 1 to 3 GRU / LSTM layers (torch.nn.GRU /
torch.nn.LSTM, one layer, batch of one, zero initial state) mixed with 0 to 2 Dense layers (torch.nn.Linear, then
the activation, applied to each time step). conv-NN.json, all with the mean squared error: 1 to 3 Conv1D layers
mixed with up to 3 GRU, LSTM and Dense layers (Conv1D first, after a GRU, an LSTM, a Dense or another Conv1D, last
or not), each torch.nn.Conv1d(in, out, kernel_size, dilation=d, bias=b) with kernel 1 to 5, dilation 1 to 4, 1 to
16 channels in and out and every activation but Softmax (Dense layers there too), applied causally: to the
sequence as [1, channels, steps], left-padded with (kernel_size - 1) * d zeros, so that the output at step t sees
the inputs of steps t, t - d, ..., t - (kernel_size - 1) d (zeros before the first step). A drawn stack in which
every slope of some tensor is 0 (a ReLU layer dead over the whole sequence) is drawn again. Per fixture:

    name, declaration     the C# class, its attribute lines exactly as a user writes them
    inputs_per_step, outputs_per_step, steps, loss
    tensors               [label, offset, rows, cols] of every parameter tensor in the flat layout; a Conv1D
                          weight [out, in, k] is [label, offset, out, in * k, k]
    parameters            every layer's parameters in layer order, each in PyTorch's order and row-major layout
                          (GRU / LSTM: weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0; Dense: weight, bias;
                          Conv1D: weight [out, in, k], bias)
    inputs, targets       [steps * inputs_per_step], [steps * outputs_per_step]
    outputs               torch's outputs from a zero state (Softmax: the probabilities; a Sigmoid output: sigmoid)
    loss_value            the mean of the per-step losses (mse_loss over [steps, K]; cross_entropy of the logits
                          with probability targets, mean over steps; binary_cross_entropy_with_logits, mean over
                          steps and outputs)
    gradients             dLoss/dParameter from loss.backward(), in the layout of `parameters`
    logit_scale           max(1, |z|) over the last layer's pre-activations for the cross-entropies, else 0
    kink_margin           the smallest |z| of any ReLU / LeakyReLU pre-activation, Dense or Conv1D (null if there
                          is none)
    float, fd             whether the test also compiles the stack in float, and runs finite differences on it

Parameters, inputs and targets are multiples of 2^-10 (so they are exact in float as well as double, and short to
print); parameters are torch's default initialisation, times 1, 2 or 3, rounded to that grid. Numbers are printed
with repr, which round-trips a double exactly.

Besides the fixtures the script measures, and prints, what the test's tolerances rest on:
  * the spread between two correct double computations: torch's fused modules against a step-by-step
    implementation written here with other operation orders (autograd through both; for a Conv1D, the sum of the
    definition, tap by tap from the newest, skipping the taps before the first step);
  * torch in float32 against torch in double, at the same (float-exact) parameters and inputs;
  * central differences of the loss in torch against loss.backward() on the finite-difference stacks.
"""

import argparse
import json
import math
import os
import random
import sys

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20_260_312
EXTRA_SEED = 20_260_313
CONV_SEED = 20_260_314
CONV_COUNT = 56  # random Conv1D stacks, after the hand-written finite-difference and coverage ones
MAX_CONV_PARAMETERS = 2500  # with MAX_CONV_STEP_CHARS, keeps conv-NN.json small (about 1.5 MB)
MAX_CONV_STEP_CHARS = 30_000  # a rough bound on the printed inputs, targets and outputs of one Conv1D fixture
COUNT = 120  # random stacks, after the hand-written finite-difference and coverage stacks
MAX_RANDOM_PARAMETERS = 6000  # keeps the files small: a 64-wide layer comes from the coverage stacks
GRID = 1024.0  # parameters, inputs and targets are multiples of 1 / GRID
LEARNING_RATE = 0.0625  # a power of two: lr * g is exact, so p - lr * g rounds once
MAX_FILE_BYTES = 2_000_000
FD_STEP = 1e-6
FD_TOLERANCE = 1e-6
FD_NOISE_MULTIPLE = 50

MSE, CE, BCE = "MeanSquaredError", "CrossEntropy", "BinaryCrossEntropy"
BASE_ACTIVATIONS = ["Identity", "ReLU", "LeakyReLU", "Sigmoid", "Tanh"]
# Behind --extra-activations. The C# names and torch's definitions are the ones NetGen is expected to use; change
# them here if NetGen spells or defines them otherwise (GELU: the exact erf form, torch's default; Softplus: beta 1,
# and torch's linear branch above 20, which is within 1e-10 of log1p(exp(z)) there).
EXTRA_ACTIVATIONS = ["ELU", "GELU", "SiLU", "Softplus"]
KINKED = {"ReLU", "LeakyReLU"}
# Every activation Conv1D takes (Softmax is only a last Dense layer's).
CONV_ACTIVATIONS = BASE_ACTIVATIONS + EXTRA_ACTIVATIONS

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)


def activate(name, z):
    if name == "Identity":
        return z
    if name == "ReLU":
        return torch.relu(z)
    if name == "LeakyReLU":
        return F.leaky_relu(z, 0.01)
    if name == "Sigmoid":
        return torch.sigmoid(z)
    if name == "Tanh":
        return torch.tanh(z)
    if name == "Softmax":
        return torch.softmax(z, dim=-1)
    if name == "ELU":
        return F.elu(z, 1.0)
    if name == "GELU":
        return F.gelu(z)
    if name == "SiLU":
        return F.silu(z)
    if name == "Softplus":
        return F.softplus(z)
    raise ValueError(name)


# ---------------------------------------------------------------------------------------------------------------
# Stacks: a layer is ("Gru", units, bias), ("Lstm", units, bias), ("Dense", units, activation, bias) or
# ("Conv1D", out_channels, kernel_size, dilation, activation, bias).


class Stack:
    def __init__(self, inputs, layers, loss, steps, scale, fd=False):
        self.inputs, self.layers, self.loss, self.steps, self.scale, self.fd = inputs, layers, loss, steps, scale, fd
        assert any(l[0] != "Dense" for l in layers)
        last = layers[-1]
        if loss == CE:
            assert last[0] == "Dense" and last[2] == "Softmax"
        elif loss == BCE:
            assert last[0] == "Dense" and last[2] == "Sigmoid"
        assert all(not (l[0] == "Dense" and l[2] == "Softmax") for l in layers[:-1])
        if last[0] == "Dense" and last[2] == "Softmax":
            assert loss == CE

    @property
    def outputs(self):
        return self.layers[-1][1]

    def parameter_count(self):
        count, fan = 0, self.inputs
        for layer in self.layers:
            kind, units, bias = layer[0], layer[1], layer[-1]
            if kind == "Dense":
                count += units * fan + (units if bias else 0)
            elif kind == "Conv1D":
                count += units * fan * layer[2] + (units if bias else 0)
            else:
                g = 3 if kind == "Gru" else 4
                count += g * units * (fan + units) + (2 * g * units if bias else 0)
            fan = units
        return count

    def declaration(self, name):
        named = f", Loss = LossFunction.{self.loss}" if self.loss != MSE else ""
        lines = [f"[Network<double>({self.inputs}{named})]"]
        for layer in self.layers:
            if layer[0] == "Dense":
                _, units, act, bias = layer
                args = [str(units)]
                if act != "Identity" or not bias:
                    args.append(f"Activation.{act}")
                if not bias:
                    args.append("Bias = false")
                lines.append(f"[Dense({', '.join(args)})]")
            elif layer[0] == "Conv1D":
                _, out, k, d, act, bias = layer
                args = [str(out), str(k)]
                if act != "Identity":
                    args.append(f"Activation.{act}")
                if d != 1:
                    args.append(f"Dilation = {d}")
                if not bias:
                    args.append("Bias = false")
                lines.append(f"[Conv1D({', '.join(args)})]")
            else:
                kind, units, bias = layer
                lines.append(f"[{kind}({units}{'' if bias else ', Bias = false'})]")
        lines.append(f"public partial class {name};")
        return "\n".join(lines)

    def summary(self):
        parts = [f"double {self.inputs}"]
        for layer in self.layers:
            if layer[0] == "Dense":
                parts.append(f"Dense {layer[1]} {layer[2]}{'' if layer[3] else ' nobias'}")
            elif layer[0] == "Conv1D":
                _, out, k, d, act, bias = layer
                parts.append(f"Conv1D {out} k{k} d{d} {act}{'' if bias else ' nobias'}")
            else:
                parts.append(f"{layer[0]} {layer[1]}{'' if layer[2] else ' nobias'}")
        parts.append(self.loss)
        return " | ".join(parts) + f" | {self.steps} steps"


def make_modules(stack, dtype):
    modules, fan = [], stack.inputs
    for layer in stack.layers:
        kind, units, bias = layer[0], layer[1], layer[-1]
        if kind == "Dense":
            modules.append(torch.nn.Linear(fan, units, bias=bias, dtype=dtype))
        elif kind == "Conv1D":
            modules.append(torch.nn.Conv1d(fan, units, layer[2], dilation=layer[3], bias=bias, dtype=dtype))
        elif kind == "Gru":
            modules.append(torch.nn.GRU(fan, units, bias=bias, dtype=dtype))
        else:
            modules.append(torch.nn.LSTM(fan, units, bias=bias, dtype=dtype))
        fan = units
    return modules


def tensor_names(layer):
    if layer[0] in ("Dense", "Conv1D"):
        return ["weight"] + (["bias"] if layer[-1] else [])
    return ["weight_ih_l0", "weight_hh_l0"] + (["bias_ih_l0", "bias_hh_l0"] if layer[2] else [])


def ordered_parameters(stack, modules):
    """(label, tensor) in NetGen's flat order."""
    result = []
    for index, (layer, module) in enumerate(zip(stack.layers, modules)):
        for name in tensor_names(layer):
            result.append((f"layer {index + 1} {layer[0]} {name}", getattr(module, name)))
    return result


def on_grid(t):
    return torch.round(t * GRID) / GRID


class ContiguousGrad(torch.autograd.Function):
    """The identity, whose backward hands on a contiguous copy of the slope. torch 1.13's float32 GELU backward is
    wrong for a non-contiguous incoming slope (off by up to 2.4 on unit values, measured here), which the transpose
    into a Conv1d's [1, C, n] layout makes; double is right either way. Only the float measurement needs it."""

    @staticmethod
    def forward(ctx, x):
        return x.view_as(x)

    @staticmethod
    def backward(ctx, g):
        return g.contiguous()


def forward(stack, modules, x):
    """x [n, In] -> (outputs [n, K], logits of the last layer or None, ReLU/LeakyReLU pre-activations)."""
    kinked, logits = [], None
    h = x
    for i, (layer, module) in enumerate(zip(stack.layers, modules)):
        if layer[0] == "Dense":
            z = module(h)
            act = layer[2]
            if act in KINKED:
                kinked.append(z.detach().reshape(-1))
            if i == len(stack.layers) - 1 and stack.loss in (CE, BCE):
                logits = z
            h = activate(act, z)
        elif layer[0] == "Conv1D":
            # Causal: [n, C] as [1, C, n], (k - 1) d zeros on the left, back to [n, out].
            _, _, k, d, act, _ = layer
            z = module(F.pad(ContiguousGrad.apply(h).t().unsqueeze(0), ((k - 1) * d, 0))).squeeze(0).t().contiguous()
            if act in KINKED:
                kinked.append(z.detach().reshape(-1))
            h = activate(act, z)
        else:
            out, _ = module(h.unsqueeze(1))
            h = out.squeeze(1)
    return h, logits, kinked


def loss_of(stack, y, logits, t):
    if stack.loss == MSE:
        return F.mse_loss(y, t)
    if stack.loss == CE:
        return F.cross_entropy(logits, t)
    return F.binary_cross_entropy_with_logits(logits, t)


# A second double implementation, step by step, with other operation orders than torch's fused kernels: matrix
# products as sums of products over the other axis, the gates' two halves added the other way round, and
# h' = n + z (h - n) for the GRU. Only used to measure how far two correct double computations drift apart.


def matvec(w, v):
    return (w * v.unsqueeze(0)).flip(1).sum(1)


def manual_forward(stack, params, x):
    h_seq = [x[t] for t in range(x.shape[0])]
    p = iter(params)
    logits = None
    for i, layer in enumerate(stack.layers):
        kind, units, bias = layer[0], layer[1], layer[-1]
        if kind == "Dense":
            w = next(p)
            b = next(p) if bias else None
            zs = [matvec(w, v) + b if b is not None else matvec(w, v) for v in h_seq]
            z = torch.stack(zs)
            if i == len(stack.layers) - 1 and stack.loss in (CE, BCE):
                logits = z
            h_seq = list(activate(layer[2], z))
            continue
        if kind == "Conv1D":
            # By the definition, step by step: the taps from the newest back, each a sum over the input channels.
            _, _, k, d, act, _ = layer
            w = next(p)
            b = next(p) if bias else None
            zs = []
            for t in range(len(h_seq)):
                z = torch.zeros(units, dtype=x.dtype)
                for j in reversed(range(k)):
                    s = t - (k - 1 - j) * d
                    if s >= 0:
                        z = z + matvec(w[:, :, j], h_seq[s])
                zs.append(b + z if b is not None else z)
            h_seq = list(activate(act, torch.stack(zs)))
            continue
        w_ih, w_hh = next(p), next(p)
        b_ih, b_hh = (next(p), next(p)) if bias else (None, None)
        hidden = torch.zeros(units, dtype=x.dtype)
        cell = torch.zeros(units, dtype=x.dtype)
        out = []
        for v in h_seq:
            gi = matvec(w_ih, v)
            gh = matvec(w_hh, hidden)
            if bias:
                gi = b_ih + gi
                gh = b_hh + gh
            if kind == "Gru":
                r = torch.sigmoid(gh[:units] + gi[:units])
                zg = torch.sigmoid(gh[units:2 * units] + gi[units:2 * units])
                n = torch.tanh(gi[2 * units:] + r * gh[2 * units:])
                hidden = n + zg * (hidden - n)
            else:
                s = gh + gi
                ig = torch.sigmoid(s[:units])
                fg = torch.sigmoid(s[units:2 * units])
                gg = torch.tanh(s[2 * units:3 * units])
                og = torch.sigmoid(s[3 * units:])
                cell = ig * gg + fg * cell
                hidden = og * torch.tanh(cell)
            out.append(hidden)
        h_seq = out
    return torch.stack(h_seq), logits


# ---------------------------------------------------------------------------------------------------------------
# Drawing.


def draw_units(rng):
    u = rng.random()
    if u < 0.09:
        return rng.randint(32, 64)
    if u < 0.27:
        return rng.randint(9, 31)
    return rng.randint(1, 8)


def draw_steps(rng):
    u = rng.random()
    if u < 0.08:
        return 1
    if u < 0.58:
        return rng.randint(2, 12)
    if u < 0.84:
        return rng.randint(13, 50)
    if u < 0.94:
        return rng.randint(51, 120)
    return rng.randint(121, 200)


def draw_stack(rng, activations):
    loss = rng.choices([MSE, CE, BCE], [0.5, 0.25, 0.25])[0]
    recurrent = rng.choices([1, 2, 3], [0.45, 0.35, 0.2])[0]
    dense = rng.choices([0, 1, 2], [0.3, 0.45, 0.25])[0]
    if loss != MSE:
        dense = max(dense, 1)
    kinds = ["R"] * recurrent + ["D"] * dense
    if loss != MSE:
        kinds.remove("D")
        rng.shuffle(kinds)
        kinds.append("D")
    elif rng.random() < 0.5:
        rng.shuffle(kinds)
    layers = []
    for position, kind in enumerate(kinds):
        last = position == len(kinds) - 1
        bias = rng.random() < 0.75
        if kind == "R":
            layers.append((rng.choice(["Gru", "Lstm"]), draw_units(rng), bias))
        else:
            if last:
                act = "Softmax" if loss == CE else "Sigmoid" if loss == BCE else rng.choice(activations)
                units = rng.randint(2, 8) if loss == CE else rng.randint(1, 8)
            else:
                act = rng.choice(activations)
                units = rng.randint(1, 16)
            layers.append(("Dense", units, act, bias))
    steps = draw_steps(rng)
    # Keep a stack's outputs and gradients printable within the size budget.
    while steps * layers[-1][1] > 3000:
        steps //= 2
    scale = rng.choices([1, 2, 3], [0.6, 0.25, 0.15])[0]
    return Stack(rng.randint(1, 8), layers, loss, steps, scale)


def fd_stacks():
    """Small stacks for the finite-difference checks: every layer kind, every loss, depth, and a long-ish sequence."""
    return [
        Stack(2, [("Gru", 3, True)], MSE, 20, 1, fd=True),
        Stack(3, [("Lstm", 3, False), ("Dense", 2, "Tanh", True)], MSE, 15, 1, fd=True),
        Stack(2, [("Gru", 2, True), ("Lstm", 3, True), ("Dense", 3, "Softmax", True)], CE, 12, 1, fd=True),
        Stack(3, [("Dense", 3, "ReLU", True), ("Lstm", 2, True), ("Dense", 2, "Sigmoid", True)], BCE, 10, 1, fd=True),
        Stack(1, [("Lstm", 4, True), ("Gru", 2, False)], MSE, 40, 1, fd=True),
        Stack(2, [("Gru", 3, True), ("Dense", 2, "LeakyReLU", True), ("Lstm", 2, True), ("Dense", 1, "Identity", True)],
              MSE, 8, 1, fd=True),
        Stack(4, [("Lstm", 2, True), ("Dense", 3, "Sigmoid", False), ("Gru", 2, True)], MSE, 25, 2, fd=True),
        Stack(1, [("Gru", 5, False), ("Dense", 4, "Softmax", False)], CE, 30, 1, fd=True),
    ]


def coverage_stacks():
    """Shapes a random draw might miss: the longest sequence, the widest layers, one step, depth 5."""
    return [
        Stack(1, [("Gru", 8, True), ("Lstm", 8, False), ("Dense", 1, "Tanh", True)], MSE, 200, 1),
        Stack(3, [("Lstm", 64, True), ("Dense", 4, "Identity", True)], MSE, 60, 1),
        Stack(8, [("Gru", 64, False), ("Dense", 5, "Softmax", True)], CE, 40, 1),
        Stack(2, [("Gru", 48, False)], MSE, 120, 1),
        Stack(3, [("Lstm", 5, True), ("Dense", 4, "ReLU", False), ("Dense", 2, "Identity", True)], MSE, 18, 2),
        Stack(6, [("Dense", 7, "ReLU", False), ("Gru", 3, True), ("Dense", 3, "Softmax", True)], CE, 9, 1),
        Stack(2, [("Lstm", 6, True)], MSE, 1, 2),
        Stack(5, [("Dense", 6, "Tanh", True), ("Gru", 4, True), ("Dense", 5, "LeakyReLU", False), ("Lstm", 3, True),
                  ("Gru", 2, True)], MSE, 33, 1),
        Stack(4, [("Gru", 12, True), ("Gru", 7, False), ("Lstm", 9, True), ("Dense", 3, "Sigmoid", False),
                  ("Dense", 2, "Sigmoid", True)], BCE, 150, 1),
    ]


# ---------------------------------------------------------------------------------------------------------------
# One fixture.


def targets_for(stack, gen):
    n, k = stack.steps, stack.outputs
    if stack.loss == CE:
        t = torch.zeros(n, k, dtype=torch.float64)
        for s in range(n):
            share = int(torch.randint(0, 4, (1,), generator=gen)) * 0.25
            t[s, int(torch.randint(0, k, (1,), generator=gen))] += 1 - share
            t[s, int(torch.randint(0, k, (1,), generator=gen))] += share
        return t
    u = torch.rand(n, k, generator=gen, dtype=torch.float64)
    if stack.loss == BCE:
        t = on_grid(u)
        # Some exact 0s and 1s.
        t[torch.rand(n, k, generator=gen, dtype=torch.float64) < 0.1] = 0.0
        t[torch.rand(n, k, generator=gen, dtype=torch.float64) < 0.1] = 1.0
        return t
    return on_grid(2 * u - 1)


class Degenerate(Exception):
    pass


def build(stack, name, seed, stats):
    # The parameters from torch's global generator, the data from another seeded apart from it (the same seed would
    # make the inputs a scaled copy of the first weights).
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed + 1_000_003)
    modules = make_modules(stack, torch.float64)
    with torch.no_grad():
        for _, p in ordered_parameters(stack, modules):
            p.copy_(on_grid(p * stack.scale))
    margin_wanted = 1e-3 if stack.fd else 1e-8
    for _ in range(100):
        x = on_grid(2 * torch.rand(stack.steps, stack.inputs, generator=gen, dtype=torch.float64) - 1)
        with torch.no_grad():
            _, _, kinked = forward(stack, modules, x)
        margin = min((float(k.abs().min()) for k in kinked), default=None)
        if margin is None or margin >= margin_wanted:
            break
    else:
        raise RuntimeError(f"{name}: no input clear of the ReLU kinks")
    t = targets_for(stack, gen)

    for m in modules:
        m.zero_grad()
    y, logits, _ = forward(stack, modules, x)
    loss = loss_of(stack, y, logits, t)
    loss.backward()
    named = ordered_parameters(stack, modules)
    params = torch.cat([p.detach().reshape(-1) for _, p in named])
    grads = torch.cat([p.grad.reshape(-1) for _, p in named])
    tensors, offset = [], 0
    for label, p in named:
        if p.dim() == 3:  # a Conv1D weight [out, in, k]: rows out, columns in * k, and k
            tensors.append([label, offset, p.shape[0], p.shape[1] * p.shape[2], p.shape[2]])
        else:
            rows, cols = (p.shape[0], p.shape[1]) if p.dim() == 2 else (p.shape[0], 1)
            tensors.append([label, offset, rows, cols])
        offset += p.numel()
    assert offset == stack.parameter_count() == params.numel()
    for label, offset, rows, cols, *_ in tensors:
        # Every unit of a ReLU layer dead over the whole sequence, say, leaves a tensor's slopes all 0 and tests
        # nothing there. (weight_hh_l0 over one step is 0 by the definition: it multiplies the zero initial state.)
        if not bool(grads[offset:offset + rows * cols].abs().max() > 0) and not (stack.steps == 1 and "weight_hh" in label):
            raise Degenerate(f"{name}: every gradient of {label} is 0")

    logit_scale = 0.0 if logits is None else max(1.0, float(logits.detach().abs().max()))
    measure_double_spread(stack, named, x, t, y.detach(), float(loss), grads, tensors, logit_scale, stats)
    if stack.fd or is_float_subset(name, stack):
        measure_float(stack, named, x, t, y.detach(), float(loss), grads, stats, name)
    if stack.fd:
        measure_finite_differences(stack, modules, x, t, grads, float(loss), y.detach(), logit_scale, stats, name)

    values = {
        "params": params.tolist(), "inputs": x.reshape(-1).tolist(), "targets": t.reshape(-1).tolist(),
        "outputs": y.detach().reshape(-1).tolist(), "grads": grads.tolist(),
    }
    for key, vs in values.items():
        assert all(math.isfinite(v) for v in vs), (name, key)
    assert math.isfinite(float(loss))
    return {
        "name": name,
        "summary": stack.summary(),
        "declaration": stack.declaration(name),
        "inputs_per_step": stack.inputs,
        "outputs_per_step": stack.outputs,
        "steps": stack.steps,
        "loss": stack.loss,
        "float": bool(stack.fd or is_float_subset(name, stack)),
        "fd": stack.fd,
        "logit_scale": logit_scale,
        "kink_margin": margin,
        "tensors": tensors,
        "parameters": values["params"],
        "inputs": values["inputs"],
        "targets": values["targets"],
        "outputs": values["outputs"],
        "loss_value": float(loss),
        "gradients": values["grads"],
    }


def is_float_subset(name, stack):
    # About one stack in six (besides the finite-difference stacks), by name, so that the subset does not depend on
    # what was drawn; compiling every network twice would cost the test class a third more time.
    return int(name[1:]) % 6 == 1


def relative_errors(actual, expected, floor):
    """max over i of |a - e| / max(|e|, floor)."""
    d = (actual - expected).abs()
    return float((d / torch.clamp(expected.abs(), min=floor)).max()) if d.numel() else 0.0


def per_tensor_scales(values, tensors):
    scales = torch.empty_like(values)
    for _, offset, rows, cols, *_ in tensors:
        part = values[offset:offset + rows * cols]
        scales[offset:offset + rows * cols] = float(part.abs().max()) if part.numel() else 0.0
    return scales


def record(stats, key, value, where):
    best = stats.get(key)
    if best is None or value > best[0]:
        stats[key] = (value, where)


FLOOR = 1e-3  # the test's floor: relative errors are taken against max(|b|, FLOOR * scale)


def measure_double_spread(stack, named, x, t, y, loss, grads, tensors, logit_scale, stats):
    params = [p.detach().clone().requires_grad_(True) for _, p in named]
    y2, logits2 = manual_forward(stack, params, x)
    loss2 = loss_of(stack, y2, logits2, t)
    loss2.backward()
    g2 = torch.cat([p.grad.reshape(-1) for p in params])
    y2 = y2.detach().reshape(-1)
    y = y.reshape(-1)
    # The scale: the largest |value| of the fixture's outputs, or of the gradient's tensor.
    y_scale = torch.full_like(y, float(y.abs().max()))
    g_scale = per_tensor_scales(grads, tensors)
    where = stack.summary()
    for what, a, b, scale in (("outputs", y2, y, y_scale), ("gradients", g2, grads, g_scale)):
        d = (a - b).abs()
        nz = scale > 0
        record(stats, f"double spread: {what} |a-b| / scale", float((d[nz] / scale[nz]).max()), where)
        small = b.abs() < FLOOR * scale
        if bool(small.any()):
            record(stats, f"double spread: {what} |a-b| / scale where |b| < {FLOOR} scale",
                   float((d[small & nz] / scale[small & nz]).max()) if bool((small & nz).any()) else 0.0, where)
        for floor in (1e-6, FLOOR):
            rel = (d / torch.clamp(torch.maximum(b.abs(), floor * scale), min=1e-300)).max()
            record(stats, f"double spread: {what} relative, floor {floor} scale", float(rel), where)
    loss_scale = max(abs(loss), logit_scale)
    record(stats, "double spread: loss |a-b| / max(L, logit scale)", abs(float(loss2) - loss) / loss_scale, where)
    record(stats, "double spread: loss relative", abs(float(loss2) - loss) / abs(loss), where)


def measure_float(stack, named, x, t, y, loss, grads, stats, name):
    modules = make_modules(stack, torch.float32)
    with torch.no_grad():
        for (_, p), (_, q) in zip(ordered_parameters(stack, modules), named):
            p.copy_(q.detach().float())
            assert torch.equal(p.double(), q.detach())  # the grid makes the parameters exact in float
    yf, logits, _ = forward(stack, modules, x.float())
    lf = loss_of(stack, yf, logits, t.float())
    lf.backward()
    gf = torch.cat([p.grad.reshape(-1) for _, p in ordered_parameters(stack, modules)]).double()
    yf = yf.detach().double().reshape(-1)
    y = y.reshape(-1)
    record(stats, "float vs double: outputs relative, floor 1e-2 max|y|",
           relative_errors(yf, y, 1e-2 * float(y.abs().max())), name)
    record(stats, "float vs double: gradients relative, floor 1e-2 max|g|",
           relative_errors(gf, grads, 1e-2 * float(grads.abs().max())), name)
    record(stats, "float vs double: loss relative", abs(float(lf) - loss) / abs(loss), name)


def measure_finite_differences(stack, modules, x, t, grads, loss, y, logit_scale, stats, name):
    u = 2.0 ** -53
    ymax = max(1.0, float(y.abs().max()), float(t.abs().max()))
    noise = u * (loss + math.sqrt(loss) * ymax + 2 * logit_scale) / FD_STEP
    worst = worst_rule = 0.0
    with torch.no_grad():
        flat = [p for _, p in ordered_parameters(stack, modules)]
        i = 0
        for p in flat:
            view = p.view(-1)
            for j in range(view.numel()):
                original = float(view[j])
                view[j] = original + FD_STEP
                yp, lp, _ = forward(stack, modules, x)
                plus = float(loss_of(stack, yp, lp, t))
                view[j] = original - FD_STEP
                ym, lm, _ = forward(stack, modules, x)
                minus = float(loss_of(stack, ym, lm, t))
                view[j] = original
                numeric = (plus - minus) / ((original + FD_STEP) - (original - FD_STEP))
                analytic = float(grads[i])
                worst = max(worst, abs(numeric - analytic) / noise)
                floor = FD_NOISE_MULTIPLE * noise / FD_TOLERANCE
                worst_rule = max(worst_rule, abs(numeric - analytic) / max(abs(numeric), abs(analytic), floor))
                i += 1
    record(stats, "torch finite differences: |analytic - numeric| / N", worst, name)
    record(stats, f"torch finite differences: relative error, floor {FD_NOISE_MULTIPLE} N / {FD_TOLERANCE}", worst_rule, name)
    stats.setdefault("fd noise N", []).append(f"{name}: N = {noise:.3g}")


# ---------------------------------------------------------------------------------------------------------------


def fmt(v):
    return repr(float(v))


def dump(fixture):
    """One fixture as one line of JSON, numbers printed with repr."""
    parts = []
    for key, value in fixture.items():
        if isinstance(value, list) and value and isinstance(value[0], float):
            text = "[" + ",".join(fmt(v) for v in value) + "]"
        elif isinstance(value, float):
            text = fmt(value)
        else:
            text = json.dumps(value, separators=(",", ":"))
        parts.append(json.dumps(key) + ":" + text)
    return "{" + ",".join(parts) + "}"


def write(path, lines, header):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("{" + header + ',"fixtures":[\n' + ",\n".join(lines) + "\n]}\n")


def check_coverage(stacks):
    seen = {}

    def count(key):
        seen[key] = seen.get(key, 0) + 1

    for s in stacks:
        count(s.loss)
        for i, layer in enumerate(s.layers):
            bias = layer[-1]
            if layer[0] == "Dense":
                count(f"Dense {layer[2]} {'bias' if bias else 'nobias'}")
                if i == 0:
                    count("Dense first")
                elif i < len(s.layers) - 1:
                    count("Dense between")
            else:
                count(f"{layer[0]} {'bias' if bias else 'nobias'}")
                if layer[1] >= 32:
                    count("recurrent 32 to 64 wide")
        if sum(1 for l in s.layers if l[0] != "Dense") == 3:
            count("3 recurrent layers")
        if s.steps == 1:
            count("1 step")
        if s.steps >= 100:
            count("100 steps or more")
    return seen


# ---------------------------------------------------------------------------------------------------------------
# Conv1D stacks (conv-NN.json): every one with the mean squared error.


def conv(out, k, d, act="Identity", bias=True):
    return ("Conv1D", out, k, d, act, bias)


def conv_fd_stacks():
    """Small Conv1D stacks for the finite-difference checks: first, after a GRU / LSTM, two in a row, every
    activation's slope, a reach longer than the sequence."""
    return [
        Stack(2, [conv(3, 3, 2, "Tanh")], MSE, 15, 1, fd=True),
        Stack(1, [conv(2, 2, 1, "Identity", False), ("Gru", 3, True)], MSE, 12, 1, fd=True),
        Stack(2, [("Gru", 2, True), conv(3, 3, 2, "Sigmoid"), ("Dense", 2, "Identity", True)], MSE, 20, 1, fd=True),
        Stack(3, [conv(3, 2, 3, "ELU"), conv(2, 3, 1, "GELU", False), ("Lstm", 2, True)], MSE, 18, 1, fd=True),
        Stack(2, [("Lstm", 3, True), conv(2, 4, 1, "SiLU"), ("Dense", 1, "Softplus", True)], MSE, 16, 1, fd=True),
        Stack(3, [conv(3, 2, 1, "ReLU"), ("Dense", 2, "LeakyReLU", True), conv(1, 5, 4, "Softplus", False)],
              MSE, 10, 1, fd=True),
    ]


def conv_coverage_stacks():
    """Shapes a random draw might miss: 200 steps, 16 channels in and out, a kernel of one tap, the longest reach
    over one step and over fewer steps than it, a Conv1D between two recurrent layers, three Conv1Ds."""
    return [
        Stack(3, [conv(8, 5, 4, "Tanh"), ("Gru", 6, True), ("Dense", 2, "Identity", True)], MSE, 200, 1),
        Stack(16, [conv(16, 5, 3, "LeakyReLU"), conv(4, 2, 1, "Identity", False)], MSE, 40, 1),
        Stack(4, [conv(3, 1, 1, "Identity")], MSE, 30, 2),
        Stack(2, [conv(5, 5, 4, "Sigmoid"), ("Lstm", 3, True)], MSE, 1, 1),
        Stack(3, [("Gru", 4, False), conv(6, 5, 4, "ReLU", False)], MSE, 9, 1),
        Stack(2, [("Lstm", 5, True), conv(4, 3, 2, "GELU"), ("Gru", 3, True)], MSE, 60, 1),
        Stack(5, [conv(6, 2, 1, "ELU"), conv(5, 3, 2, "SiLU", False), conv(2, 4, 3, "Tanh")], MSE, 120, 1),
        Stack(6, [("Dense", 16, "Tanh", True), conv(16, 3, 1, "Softplus"), ("Dense", 3, "Sigmoid", False)], MSE, 25, 1),
    ]


def draw_conv_stack(rng):
    while True:
        stack = draw_conv_layers(rng)
        if stack.parameter_count() <= MAX_CONV_PARAMETERS:
            break
    # Keep the printed fixture small: inputs and targets take about 10 characters a value, outputs 20.
    while 10 * stack.steps * (stack.inputs + 3 * stack.outputs) > MAX_CONV_STEP_CHARS:
        stack.steps //= 2
    return stack


def draw_conv_layers(rng):
    layer_count = rng.choices([1, 2, 3, 4], [0.15, 0.4, 0.3, 0.15])[0]
    kinds = [rng.choices(["Conv1D", "Gru", "Lstm", "Dense"], [0.5, 0.15, 0.15, 0.2])[0] for _ in range(layer_count)]
    if "Conv1D" not in kinds:
        kinds[rng.randrange(layer_count)] = "Conv1D"
    if sum(k == "Conv1D" for k in kinds) > 3:
        kinds[kinds.index("Conv1D")] = "Dense"
    layers = []
    for kind in kinds:
        bias = rng.random() < 0.75
        if kind == "Conv1D":
            layers.append(conv(rng.randint(1, 16), rng.randint(1, 5), rng.randint(1, 4), rng.choice(CONV_ACTIVATIONS), bias))
        elif kind == "Dense":
            layers.append(("Dense", rng.randint(1, 16), rng.choice(CONV_ACTIVATIONS), bias))
        else:
            layers.append((kind, rng.randint(1, 12), bias))
    inputs = rng.choice([rng.randint(1, 4), rng.randint(1, 16)])
    return Stack(inputs, layers, MSE, draw_steps(rng), rng.choices([1, 2, 3], [0.6, 0.25, 0.15])[0])


def check_conv_coverage(stacks):
    seen = {}

    def count(key):
        seen[key] = seen.get(key, 0) + 1

    for s in stacks:
        fan = s.inputs
        for i, layer in enumerate(s.layers):
            if layer[0] == "Conv1D":
                _, out, k, d, act, bias = layer
                for key in (f"k{k}", f"d{d}", act, "bias" if bias else "nobias"):
                    count(f"Conv1D {key}")
                count("Conv1D first" if i == 0 else f"Conv1D after {s.layers[i - 1][0]}")
                if i == len(s.layers) - 1:
                    count("Conv1D last")
                if fan == 16:
                    count("Conv1D 16 channels in")
                if out == 16:
                    count("Conv1D 16 channels out")
                if (k - 1) * d >= s.steps:
                    count("Conv1D reach beyond the sequence")
            elif layer[0] == "Dense":
                count(f"Dense {layer[2]}")
            else:
                count(layer[0])
            fan = layer[1]
        count(f"{sum(l[0] == 'Conv1D' for l in s.layers)} Conv1D layers")
        if s.steps == 1:
            count("1 step")
        if s.steps >= 100:
            count("100 steps or more")
    return seen


def conv_fixtures(stats):
    """The Conv1D stacks, built; and their coverage."""
    rng = random.Random(CONV_SEED)
    stacks = conv_fd_stacks() + conv_coverage_stacks()
    fixed = len(stacks)
    fixtures = [build(s, f"C{i:03d}", CONV_SEED + i, stats) for i, s in enumerate(stacks)]
    while len(stacks) < fixed + CONV_COUNT:
        s, i = draw_conv_stack(rng), len(stacks)
        try:
            fixtures.append(build(s, f"C{i:03d}", CONV_SEED + i, stats))
        except Degenerate as e:
            print(f"drawn again: {e} ({s.summary()})")
            continue
        stacks.append(s)
    seen = check_conv_coverage(stacks)
    required = [f"Conv1D {key}" for key in
                [f"k{k}" for k in range(1, 6)] + [f"d{d}" for d in range(1, 5)] + CONV_ACTIVATIONS + ["bias", "nobias"]]
    required += ["Conv1D first", "Conv1D after Gru", "Conv1D after Lstm", "Conv1D after Dense", "Conv1D after Conv1D",
                 "Conv1D last", "Conv1D 16 channels in", "Conv1D 16 channels out", "Conv1D reach beyond the sequence",
                 "1 Conv1D layers", "2 Conv1D layers", "3 Conv1D layers", "Gru", "Lstm", "1 step", "100 steps or more"]
    missing = [r for r in required if seen.get(r, 0) < 3]
    assert not missing, f"Conv1D coverage: {missing} seen fewer than 3 times"
    return fixtures, seen


def write_files(prefix, fixtures, header):
    """Fixtures into prefix-01.json, prefix-02.json, ..., each under MAX_FILE_BYTES; returns the bytes written."""
    files, current, size = [], [], 0
    for f in fixtures:
        line = dump(f)
        if current and size + len(line) > MAX_FILE_BYTES:
            files.append(current)
            current, size = [], 0
        current.append(line)
        size += len(line) + 2
    files.append(current)
    total = 0
    for n, lines in enumerate(files, 1):
        path = os.path.join(HERE, f"{prefix}-{n:02d}.json")
        write(path, lines, header)
        total += os.path.getsize(path)
        print(f"{os.path.basename(path)}: {len(lines)} fixtures, {os.path.getsize(path):,} bytes")
    return total


def print_summary(fixtures, total, seen, stats):
    print(f"{len(fixtures)} fixtures, {total:,} bytes; {sum(f['float'] for f in fixtures)} also in float, "
          f"{sum(f['fd'] for f in fixtures)} with finite differences")
    print("coverage: " + ", ".join(f"{k} {v}" for k, v in sorted(seen.items())))
    steps = sorted(f["steps"] for f in fixtures)
    print(f"steps: min {steps[0]}, median {steps[len(steps) // 2]}, max {steps[-1]}; "
          f"parameters: max {max(len(f['parameters']) for f in fixtures)}, total {sum(len(f['parameters']) for f in fixtures)}")
    for key in sorted(stats):
        value = stats[key]
        if isinstance(value, list):
            print(f"{key}: " + "; ".join(value))
        else:
            print(f"{key}: {value[0]:.3g} ({value[1]})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--extra-activations", action="store_true",
                        help="also write recurrent-extra-activations.json (ELU, GELU, SiLU, Softplus in Dense layers)")
    parser.add_argument("--conv-only", action="store_true", help="write conv-NN.json alone")
    args = parser.parse_args()
    header = (f'"generator":"make_recurrent_fixtures.py","torch":{json.dumps(torch.__version__)},'
              f'"seed":{SEED},"learning_rate":{fmt(LEARNING_RATE)}')

    print(f"Conv1D stacks: seed {CONV_SEED}")
    conv_stats = {}
    convs, conv_seen = conv_fixtures(conv_stats)
    for old in os.listdir(HERE):
        if old.startswith("conv-") and old.endswith(".json"):
            os.remove(os.path.join(HERE, old))
    conv_total = write_files("conv", convs, header.replace(str(SEED), str(CONV_SEED)))
    print_summary(convs, conv_total, conv_seen, conv_stats)
    if args.conv_only:
        return 0
    print(f"\nrecurrent stacks: seed {SEED}")

    rng = random.Random(SEED)
    stacks = fd_stacks() + coverage_stacks()
    while len(stacks) < len(fd_stacks()) + len(coverage_stacks()) + COUNT:
        s = draw_stack(rng, BASE_ACTIVATIONS)
        if s.parameter_count() <= MAX_RANDOM_PARAMETERS:
            stacks.append(s)
    seen = check_coverage(stacks)
    required = [MSE, CE, BCE, "Gru bias", "Gru nobias", "Lstm bias", "Lstm nobias", "Dense first", "Dense between",
                "recurrent 32 to 64 wide", "3 recurrent layers", "1 step", "100 steps or more"]
    required += [f"Dense {a} {b}" for a in BASE_ACTIVATIONS + ["Softmax"] for b in ("bias", "nobias")]
    missing = [r for r in required if seen.get(r, 0) < 3]
    assert not missing, f"coverage: {missing} seen fewer than 3 times"
    assert seen[MSE] >= 0.4 * len(stacks)

    stats = {}
    fixtures = [build(s, f"R{i:03d}", SEED + i, stats) for i, s in enumerate(stacks)]
    for old in os.listdir(HERE):
        if old.startswith("recurrent-") and old.endswith(".json") and old != "recurrent-extra-activations.json":
            os.remove(os.path.join(HERE, old))
    total = write_files("recurrent", fixtures, header)

    if args.extra_activations:
        extra_rng = random.Random(EXTRA_SEED)
        extra = []
        while len(extra) < 24:
            s = draw_stack(extra_rng, EXTRA_ACTIVATIONS + BASE_ACTIVATIONS[:1])
            if s.parameter_count() <= 3_000 and any(l[0] == "Dense" and l[2] in EXTRA_ACTIVATIONS for l in s.layers):
                extra.append(s)
        lines = [dump(build(s, f"X{i:03d}", EXTRA_SEED + i, stats)) for i, s in enumerate(extra)]
        path = os.path.join(HERE, "recurrent-extra-activations.json")
        write(path, lines, header.replace(str(SEED), str(EXTRA_SEED)))
        total += os.path.getsize(path)
        print(f"{os.path.basename(path)}: {len(lines)} fixtures, {os.path.getsize(path):,} bytes")

    print_summary(fixtures, total, seen, stats)


if __name__ == "__main__":
    sys.exit(main())
