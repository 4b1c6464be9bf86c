#!/usr/bin/python3
"""PyTorch's answers for NetGen's recurrent networks (GRU, LSTM and Dense stacks), written as JSON fixtures that
RecurrentPyTorchTests reads, so that the test suite needs no Python.

Run from anywhere, with the interpreter that has PyTorch 1.13 (the `python3` on PATH may not):

    /usr/bin/python3 tests/NetGen.Generator.Tests/Fixtures/Recurrent/make_recurrent_fixtures.py

It is seeded: the same PyTorch gives the same files, byte for byte. It writes recurrent-NN.json beside itself
(and, with --extra-activations, recurrent-extra-activations.json: stacks whose Dense layers also use ELU, GELU,
SiLU and Softplus, with a seed of their own, so that switching those on does not change the other files).

Every stack is built in torch in double precision: 1 to 3 GRU / LSTM layers (torch.nn.GRU / torch.nn.LSTM, one
layer, batch of one, zero initial state) mixed with 0 to 2 Dense layers (torch.nn.Linear, then the activation,
applied to each time step). Per fixture:

    name, declaration     the C# class, its attribute lines exactly as a user writes them
    inputs_per_step, outputs_per_step, steps, loss
    tensors               [label, offset, rows, cols] of every parameter tensor in the flat layout
    parameters            every layer's parameters in layer order, each in PyTorch's order and row-major layout
                          (GRU / LSTM: weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0; Dense: weight, bias)
    inputs, targets       [steps * inputs_per_step], [steps * outputs_per_step]
    outputs               torch's outputs from a zero state (Softmax: the probabilities; a Sigmoid output: sigmoid)
    loss_value            the mean of the per-step losses (mse_loss over [steps, K]; cross_entropy of the logits
                          with probability targets, mean over steps; binary_cross_entropy_with_logits, mean over
                          steps and outputs)
    gradients             dLoss/dParameter from loss.backward(), in the layout of `parameters`
    logit_scale           max(1, |z|) over the last layer's pre-activations for the cross-entropies, else 0
    kink_margin           the smallest |z| of any ReLU / LeakyReLU pre-activation (null if there is none)
    float, fd             whether the test also compiles the stack in float, and runs finite differences on it

Parameters, inputs and targets are multiples of 2^-10 (so they are exact in float as well as double, and short to
print); parameters are torch's default initialisation, times 1, 2 or 3, rounded to that grid. Numbers are printed
with repr, which round-trips a double exactly.

Besides the fixtures the script measures, and prints, what the test's tolerances rest on:
  * the spread between two correct double computations: torch's fused modules against a step-by-step
    implementation written here with other operation orders (autograd through both);
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
# Stacks: a layer is ("Gru", units, bias), ("Lstm", units, bias) or ("Dense", units, activation, bias).


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
        elif kind == "Gru":
            modules.append(torch.nn.GRU(fan, units, bias=bias, dtype=dtype))
        else:
            modules.append(torch.nn.LSTM(fan, units, bias=bias, dtype=dtype))
        fan = units
    return modules


def tensor_names(layer):
    if layer[0] == "Dense":
        return ["weight"] + (["bias"] if layer[3] else [])
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
        rows, cols = (p.shape[0], p.shape[1]) if p.dim() == 2 else (p.shape[0], 1)
        tensors.append([label, offset, rows, cols])
        offset += p.numel()
    assert offset == stack.parameter_count() == params.numel()

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
    for _, offset, rows, cols in tensors:
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--extra-activations", action="store_true",
                        help="also write recurrent-extra-activations.json (ELU, GELU, SiLU, Softplus in Dense layers)")
    args = parser.parse_args()

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
    header = (f'"generator":"make_recurrent_fixtures.py","torch":{json.dumps(torch.__version__)},'
              f'"seed":{SEED},"learning_rate":{fmt(LEARNING_RATE)}')
    for old in os.listdir(HERE):
        if old.startswith("recurrent-") and old.endswith(".json") and old != "recurrent-extra-activations.json":
            os.remove(os.path.join(HERE, old))
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
        path = os.path.join(HERE, f"recurrent-{n:02d}.json")
        write(path, lines, header)
        total += os.path.getsize(path)
        print(f"{os.path.basename(path)}: {len(lines)} fixtures, {os.path.getsize(path):,} bytes")

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


if __name__ == "__main__":
    sys.exit(main())
